package org.tribuo.usae.onnx.spark;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.Device;
import org.tribuo.usae.onnx.extract.ExtractionJob;
import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageBackboneSpec;
import org.tribuo.usae.onnx.extract.ImageExtraction;
import org.tribuo.usae.onnx.extract.ImageSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code usae extract} configuration ({@link ImageExtraction}, OLCUT XML) as a Spark source. Only
 * the XML text travels to the executors; each executor JVM parses it once and loads the image list
 * once. Paths in the config (images, model files) must therefore be readable on every executor
 * (a shared file system or the same local path on each node), or the models must be jar resources.
 * The task's CPUs and GPU decide the session options; a config asking for CUDA keeps its device id
 * when Spark assigned no GPU.
 */
public final class ImageExtractionSource implements SparkExtractionSource<Image> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Loaded> PER_JVM = new ConcurrentHashMap<>();

    private final String configXml;
    private final String component;
    private final Map<String, String> overrides;

    private record Loaded(ImageExtraction extraction, ImageSource.Loaded data) {
    }

    /**
     * @param configXml the config file's text.
     * @param component the {@link ImageExtraction} component's name.
     * @param overrides field overrides as {@code "component.field" -> value} (what {@code --@component.field value}
     *                  sets in {@code usae extract}), applied after the file on every JVM.
     */
    public ImageExtractionSource(String configXml, String component, Map<String, String> overrides) {
        this.configXml = configXml;
        this.component = component;
        this.overrides = new java.util.LinkedHashMap<>(overrides);
        loaded(); // fail on the driver, naming the problem, before any task starts
    }

    /**
     * @param config    the config file.
     * @param component the {@link ImageExtraction} component's name.
     * @param overrides field overrides, {@code "component.field" -> value}.
     * @return the source.
     */
    public static ImageExtractionSource fromFile(Path config, String component, Map<String, String> overrides) {
        try {
            return new ImageExtractionSource(Files.readString(config, StandardCharsets.UTF_8), component, overrides);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + config, e);
        }
    }

    private Loaded loaded() {
        return PER_JVM.computeIfAbsent(component + "\n" + overrides + "\n" + configXml, k -> {
            Path tmp = null;
            try {
                tmp = Files.createTempFile("usae-extract", ".xml");
                Files.writeString(tmp, configXml, StandardCharsets.UTF_8);
                ConfigurationManager cm = new ConfigurationManager(tmp.toString());
                for (Map.Entry<String, String> o : overrides.entrySet()) {
                    int dot = o.getKey().indexOf('.');
                    String name = dot > 0 ? o.getKey().substring(0, dot) : "";
                    if (!cm.getComponentNames().contains(name)) {
                        throw new IllegalArgumentException("--@" + o.getKey() + ": the config has no component '" + name
                                + "'; it has " + cm.getComponentNames());
                    }
                    cm.overrideConfigurableProperty(name, o.getKey().substring(dot + 1),
                            new com.oracle.labs.mlrg.olcut.config.property.SimpleProperty(o.getValue()));
                }
                if (!cm.getComponentNames().contains(component)) {
                    throw new IllegalArgumentException("the config has no component named '" + component + "'; it has "
                            + cm.getComponentNames());
                }
                Object c = cm.lookup(component);
                if (!(c instanceof ImageExtraction x)) {
                    throw new IllegalArgumentException("component '" + component + "' is a " + c.getClass().getName()
                            + ", expected " + ImageExtraction.class.getName());
                }
                if (x.minForeground() > 0) {
                    throw new IllegalArgumentException("component '" + component + "': minForeground " + x.minForeground()
                            + " is not supported by distributed extraction (it writes every token); run usae extract, or set minForeground 0");
                }
                for (ImageBackboneSpec b : x.backbones()) {
                    b.checkModel();
                }
                return new Loaded(x, x.source().load());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stage the config in a temp file", e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a few bytes in the temp folder
                    }
                }
            }
        });
    }

    @Override
    public long numInputs() {
        return loaded().data().images().size();
    }

    @Override
    public List<Image> inputs(long from, long to) {
        return loaded().data().images().subList((int) from, (int) to);
    }

    @Override
    public List<ExtractionJob.Member<Image>> members(Backbone.Options task) {
        ImageExtraction x = loaded().extraction();
        Backbone.Options configured = x.options();
        Backbone.Options options = task.device() == Device.CPU && configured.device() == Device.CUDA
                ? Backbone.Options.builder().device(Device.CUDA).deviceId(configured.deviceId())
                .intraOpThreads(task.intraOpThreads()).build()
                : task;
        List<ExtractionJob.Member<Image>> members = new ArrayList<>();
        for (ImageBackboneSpec b : x.backbones()) {
            Backbone bb = BackboneCache.get(b.source() + " tap " + b.tap(), options, () -> b.open(options));
            members.add(b.member(bb));
        }
        return members;
    }

    @Override
    public int batchSize() {
        return loaded().extraction().batchSize();
    }

    @Override
    public long[] labels() {
        return loaded().data().labels();
    }

    @Override
    public java.util.List<String> labelNames() {
        return loaded().data().labelNames();
    }

    @Override
    public String describe() {
        return loaded().extraction().source().describe();
    }
}
