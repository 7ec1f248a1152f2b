package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import org.tribuo.usae.data.AtomicFiles;

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
 * {@code labels.npy} when the source has labels, {@code label_names.txt} (line {@code i} = name of
 * label id {@code i}) when it also names them, and {@value #LABEL_HIERARCHY} when it also knows their
 * tree ({@link ImageSource.Loaded#labelParents()}, e.g. {@link ImageFolder.LabelBy#IMAGE_FOLDER}).
 *
 * <p>Foreground tokens: with {@code minForeground > 0} a token is written only when the image's
 * foreground (alpha above 0; a source without alpha is all foreground, so only canvas padding is
 * background) covers at least that fraction of its grid cell ({@link ForegroundCoverage}), measured on
 * the first backbone's canvas. Every backbone must then resize its tokens to the same
 * {@code gridHeight x gridWidth} (so the cells are known and the report can place the kept positions)
 * and place images on its canvas the same way ({@link ImagePreprocessor#placement()}), so a cell is the
 * same part of the image in every model. A dropped token is written for no model; see
 * {@link ExtractionJob}.
 */
public final class ImageExtraction implements Configurable {
    /** Label names next to the set: line {@code i} (0-based) is the name of label id {@code i}. */
    public static final String LABEL_NAMES = "label_names.txt";
    /**
     * The labels' tree next to the set, one {@code child<TAB>parent} line per edge (what
     * {@code --hierarchy} reads), sorted by child; the top labels hang under {@link ImageFolder#ROOT_LABEL}.
     */
    public static final String LABEL_HIERARCHY = "label_hierarchy.tsv";
    /** Placements (fractions of the canvas) closer than this count as the same. */
    static final double PLACEMENT_TOLERANCE = 0.01;

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
    @Config(description = "Write only tokens whose grid cell the image's foreground (alpha > 0) covers at least this much, 0..1; 0 = all.")
    private double minForeground = 0;

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
        if (!(minForeground >= 0 && minForeground <= 1)) {
            throw new PropertyException("", "minForeground", "extraction: minForeground must be in 0..1, got " + minForeground);
        }
        if (minForeground > 0) {
            ImageBackboneSpec first = backbones.get(0);
            double[] at = first.preprocessor().placement();
            for (ImageBackboneSpec b : backbones) {
                TokenPolicy p = b.policy();
                if (p.resizeH() <= 0) {
                    throw new PropertyException("", "minForeground", "extraction: minForeground " + minForeground + " needs every backbone's "
                            + "gridHeight and gridWidth (the common token grid); backbone '" + b.name() + "' has none");
                }
                if (p.resizeH() != first.policy().resizeH() || p.resizeW() != first.policy().resizeW()) {
                    throw new PropertyException("", "minForeground", "extraction: minForeground needs one token grid, but backbone '"
                            + first.name() + "' resizes to " + first.policy().resizeH() + "x" + first.policy().resizeW() + " and '"
                            + b.name() + "' to " + p.resizeH() + "x" + p.resizeW());
                }
                double[] other = b.preprocessor().placement();
                for (int i = 0; i < at.length; i++) {
                    if (Math.abs(at[i] - other[i]) > PLACEMENT_TOLERANCE) {
                        throw new PropertyException("", "minForeground", "extraction: minForeground needs every backbone to place the image "
                                + "alike on its canvas, but '" + first.name() + "' puts it at " + placement(at) + " and '" + b.name()
                                + "' at " + placement(other) + " (top, left, height, width as fractions of the canvas)");
                    }
                }
            }
        }
    }

    private static String placement(double[] p) {
        return String.format(java.util.Locale.ROOT, "(%.3f, %.3f, %.3f, %.3f)", p[0], p[1], p[2], p[3]);
    }

    /** @return the least foreground coverage of a written token (0 = all written). */
    public double minForeground() {
        return minForeground;
    }

    /**
     * @return grid cells per input when foreground selection fixes the grid ({@code minForeground > 0}),
     * else 0 (then the set's rows per input tell it).
     */
    public int gridCells() {
        if (minForeground <= 0) {
            return 0;
        }
        TokenPolicy p = backbones.get(0).policy();
        return p.resizeH() * p.resizeW();
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
            ExtractionJob.Summary s = new ExtractionJob<>(members, batchSize).run(data.images(), data.labels(),
                    minForeground > 0 ? foreground(data) : null, output, progress);
            if (data.labels() != null && data.labelNames() != null) {
                Path f = output.toAbsolutePath().normalize().resolve(LABEL_NAMES);
                try {
                    Files.write(f, data.labelNames(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + f, e);
                }
                if (!data.labelParents().isEmpty()) {
                    StringBuilder tsv = new StringBuilder();
                    data.labelParents().forEach((child, parent) -> tsv.append(child).append('\t').append(parent).append('\n'));
                    AtomicFiles.writeString(output.toAbsolutePath().normalize().resolve(LABEL_HIERARCHY), tsv.toString());
                }
            }
            return s;
        } finally {
            for (Backbone bb : opened) {
                bb.close();
            }
        }
    }

    /** The foreground token selection on the first backbone's canvas. */
    private ExtractionJob.TokenSelection<Image> foreground(ImageSource.Loaded data) {
        ImagePreprocessor pre = backbones.get(0).preprocessor();
        List<Image> alphas = data.alphas();
        return (id, img, gh, gw) -> {
            Image alpha;
            if (alphas == null) {
                float[] ones = new float[img.h() * img.w()];
                java.util.Arrays.fill(ones, 1f);
                alpha = new Image(img.h(), img.w(), 1, ones);
            } else {
                alpha = alphas.get(Math.toIntExact(id));
                if (alpha.h() != img.h() || alpha.w() != img.w()) {
                    throw new IllegalArgumentException("input " + id + ": alpha plane " + alpha.h() + "x" + alpha.w()
                            + " does not match its image " + img.h() + "x" + img.w());
                }
            }
            return ForegroundCoverage.keep(ForegroundCoverage.of(alpha, pre, gh, gw), minForeground);
        };
    }

    @Override
    public String toString() {
        return "ImageExtraction[" + source.describe() + ", batchSize=" + batchSize + ", " + options() + (minForeground > 0 ? ", minForeground=" + minForeground : "") + ", backbones=" + backbones + "]";
    }
}
