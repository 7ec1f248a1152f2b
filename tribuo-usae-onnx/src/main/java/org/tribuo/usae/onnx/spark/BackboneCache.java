package org.tribuo.usae.onnx.spark;

import org.tribuo.usae.onnx.extract.Backbone;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One ONNX Runtime session per model and session options per JVM (an executor runs many tasks, and
 * creating a session for a large ViT costs seconds). Sessions are thread safe for {@code run}, so
 * concurrent tasks share them; they live as long as the JVM.
 */
public final class BackboneCache {
    private static final Map<String, Backbone> CACHE = new ConcurrentHashMap<>();

    private BackboneCache() {
    }

    /**
     * @param model   identifies the model (path, resource or content hash).
     * @param options the session options (part of the key: a CUDA session is not a CPU one).
     * @param open    opens the backbone on a miss.
     * @return the shared backbone; never close it.
     */
    public static Backbone get(String model, Backbone.Options options, Supplier<Backbone> open) {
        return CACHE.computeIfAbsent(model + " " + options, k -> open.get());
    }
}
