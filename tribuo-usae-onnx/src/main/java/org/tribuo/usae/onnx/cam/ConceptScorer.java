package org.tribuo.usae.onnx.cam;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.tribuo.usae.onnx.autodiff.GradientException;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Evaluates a concept's mean pre-activation (over tokens) on single images of any size: the image is resampled
 * bilinearly to the model input, as a whole-image crop.
 */
public final class ConceptScorer implements AutoCloseable {
    private final CamTarget target;
    private final ConceptObjective objective;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /**
     * @param target  the model.
     * @param readout the concept.
     * @param threads ORT intra-op threads, 0 for the default.
     */
    public ConceptScorer(CamTarget target, ConceptReadout readout, int threads) {
        this.target = target;
        this.objective = target.objective(readout, 1);
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            session = env.createSession(objective.model(), so);
        } catch (OrtException e) {
            throw new GradientException(target.name() + ": cannot open the objective graph: " + e.getMessage(), e);
        }
    }

    /**
     * @param pixels {@code [3 x h x w]} RGB in [0, 1].
     * @param h      image height.
     * @param w      image width.
     * @return the mean over tokens of the concept's pre-activation.
     */
    public double score(double[] pixels, int h, int w) {
        if (pixels.length != 3 * h * w) {
            throw new IllegalArgumentException("image has " + pixels.length + " values, expected 3x" + h + "x" + w);
        }
        double[] in = CropBox.whole(h, w).sample(pixels, h, w, target.inputHeight(), target.inputWidth());
        float[] f = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            f[i] = (float) in[i];
        }
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), objective.pixelShape());
             OrtSession.Result r = session.run(Map.of(objective.pixels(), x), java.util.Set.of(objective.perImage()))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
        } catch (OrtException e) {
            throw new GradientException(target.name() + ": evaluating the objective failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new GradientException("closing the objective session failed: " + e.getMessage(), e);
        }
    }
}
