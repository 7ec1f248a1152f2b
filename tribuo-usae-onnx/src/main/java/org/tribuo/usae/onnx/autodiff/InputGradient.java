package org.tribuo.usae.onnx.autodiff;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session over a {@link GradientGraph}: one call returns the output and the input gradient.
 * Not thread safe with {@link #close}.
 */
public final class InputGradient implements AutoCloseable {
    /**
     * @param output   the forward output, flattened row-major, {@code [outputShape]}.
     * @param gradient {@code d <seed, output> / d input}, {@code [inputShape]}.
     */
    public record Result(float[] output, float[] gradient) {
    }

    private final GradientGraph graph;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int inputSize;
    private final int outputSize;

    /**
     * @param graph   the gradient graph.
     * @param threads ORT intra-op threads, 0 for ORT's default.
     */
    public InputGradient(GradientGraph graph, int threads) {
        this.graph = graph;
        this.env = OrtEnvironment.getEnvironment();
        this.inputSize = Math.toIntExact(Arrays.stream(graph.inputShape()).reduce(1, Math::multiplyExact));
        this.outputSize = Math.toIntExact(Arrays.stream(graph.outputShape()).reduce(1, Math::multiplyExact));
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            this.session = env.createSession(graph.model(), so);
        } catch (OrtException e) {
            throw new GradientException("ONNX Runtime rejected the gradient graph of '" + graph.output() + "': "
                    + e.getMessage(), e);
        }
    }

    /** @return the graph. */
    public GradientGraph graph() {
        return graph;
    }

    /**
     * Runs forward and backward.
     *
     * @param input {@code [inputShape]} flattened.
     * @param seed  {@code [outputShape]} flattened: the weights of the output elements in the differentiated sum.
     * @return the output and the input gradient.
     */
    public Result run(float[] input, float[] seed) {
        checkInput(input);
        if (seed.length != outputSize) {
            throw new IllegalArgumentException("seed has " + seed.length + " values, expected " + outputSize
                    + " for shape " + Arrays.toString(graph.outputShape()));
        }
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), graph.inputShape());
             OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), graph.outputShape());
             OrtSession.Result r = session.run(Map.of(graph.input(), x, graph.seed(), s))) {
            return new Result(floats(r, graph.output()), floats(r, graph.inputGradient()));
        } catch (OrtException e) {
            throw new GradientException("running the gradient graph failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the forward pass only (ONNX Runtime computes just the nodes the requested output needs), for the
     * finite differences that check a gradient.
     *
     * @param input {@code [inputShape]} flattened.
     * @return the output, {@code [outputShape]} flattened.
     */
    public float[] output(float[] input) {
        checkInput(input);
        // The seed is a declared graph input, so it is fed (zeros) although no requested node reads it.
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), graph.inputShape());
             OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.allocate(outputSize), graph.outputShape());
             OrtSession.Result r = session.run(Map.of(graph.input(), x, graph.seed(), s), Set.of(graph.output()))) {
            return floats(r, graph.output());
        } catch (OrtException e) {
            throw new GradientException("running the forward graph failed: " + e.getMessage(), e);
        }
    }

    private void checkInput(float[] input) {
        if (input.length != inputSize) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + inputSize
                    + " for shape " + Arrays.toString(graph.inputShape()));
        }
    }

    private static float[] floats(OrtSession.Result r, String name) {
        FloatBuffer fb = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        return v;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new GradientException("closing the session failed: " + e.getMessage(), e);
        }
    }
}
