package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image extraction as an OLCUT component ({@code usae extract -c config.xml}): the images of an
 * {@link ImageSource} through several backbones into one aligned activation set, with
 * {@code labels.npy} when the source has labels and {@code label_names.txt} (line {@code i} = name of
 * label id {@code i}) when it also names them.
 */
public final class ImageExtraction implements Configurable {
    /** Label names next to the set: line {@code i} (0-based) is the name of label id {@code i}. */
    public static final String LABEL_NAMES = "label_names.txt";

    @Config(mandatory = true, description = "The input images (MnistDigits, ImageFolder or any ImageSource).")
    private ImageSource source;
    @Config(mandatory = true, description = "The backbones, at least one.")
    private List<ImageBackboneSpec> backbones;
    @Config(description = "Images per backbone run.")
    private int batchSize = 64;
    @Config(description = "Execution provider: CPU or CUDA.")
    private Device device = Device.CPU;
    @Config(description = "CUDA device id.")
    private int deviceId = 0;
    @Config(description = "ONNX Runtime intra-op threads; 0 = one per core.")
    private int threads = 0;

    /** For OLCUT. */
    private ImageExtraction() {
    }

    @Override
    public void postConfig() {
        if (backbones == null || backbones.isEmpty()) {
            throw new PropertyException("", "backbones", "extraction: at least one backbone is needed");
        }
        if (batchSize <= 0) {
            throw new PropertyException("", "batchSize", "extraction: batchSize must be positive, got " + batchSize);
        }
        if (threads < 0) {
            throw new PropertyException("", "threads", "extraction: threads must be >= 0, got " + threads);
        }
    }

    /** @return the input source. */
    public ImageSource source() {
        return source;
    }

    /** @return the backbones. */
    public List<ImageBackboneSpec> backbones() {
        return backbones;
    }

    /** @return images per run. */
    public int batchSize() {
        return batchSize;
    }

    /** @return the session options. */
    public Backbone.Options options() {
        return Backbone.Options.builder().device(device).deviceId(deviceId).intraOpThreads(threads).build();
    }

    /**
     * Runs the extraction: checks every model exists, loads the images, opens the backbones, runs the job,
     * then writes {@value #LABEL_NAMES} when the source names its labels.
     *
     * @param output   empty or absent output folder.
     * @param progress progress callback, may be null.
     * @return the job summary.
     */
    public ExtractionJob.Summary run(Path output, ExtractionJob.Progress progress) {
        for (ImageBackboneSpec b : backbones) {
            b.checkModel();
        }
        ImageSource.Loaded data = source.load();
        List<Backbone> opened = new ArrayList<>();
        try {
            List<ExtractionJob.Member<Image>> members = new ArrayList<>();
            for (ImageBackboneSpec b : backbones) {
                Backbone bb = b.open(options());
                opened.add(bb);
                members.add(b.member(bb));
            }
            ExtractionJob.Summary s = new ExtractionJob<>(members, batchSize).run(data.images(), data.labels(), output, progress);
            if (data.labels() != null && data.labelNames() != null) {
                Path f = output.toAbsolutePath().normalize().resolve(LABEL_NAMES);
                try {
                    Files.write(f, data.labelNames(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + f, e);
                }
            }
            return s;
        } finally {
            for (Backbone bb : opened) {
                bb.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ImageExtraction[" + source.describe() + ", batchSize=" + batchSize + ", " + options() + ", backbones=" + backbones + "]";
    }
}
