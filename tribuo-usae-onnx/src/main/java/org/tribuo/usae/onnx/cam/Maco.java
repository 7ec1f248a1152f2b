package org.tribuo.usae.onnx.cam;

import org.tribuo.usae.onnx.autodiff.GradientGraph;
import org.tribuo.usae.onnx.autodiff.GradientGraphBuilder;
import org.tribuo.usae.onnx.autodiff.InputGradient;

import java.util.Random;

/**
 * Feature visualisation by MACO for one model and one concept: maximise the concept's mean pre-activation over
 * random crops of a phase-parametrised image ({@link SpectralImage}), with noise, by NAdam on the phase.
 *
 * <p>Each step: render the image; take {@code crops} random boxes ({@link CropBox#random}), resample each to the
 * model input and add Gaussian and uniform noise; run the objective graph and its ONNX gradient
 * ({@link GradientGraphBuilder}) on the batch; map the crop gradients back to the image (the resampling's
 * transpose), add their magnitude to the attribution map, and back through the parametrisation to the phase;
 * NAdam step on {@code -objective}.
 */
public final class Maco implements AutoCloseable {
    private final CamTarget target;
    private final MacoOptions config;
    private final InputGradient gradient;

    /**
     * @param target  the model.
     * @param readout the concept.
     * @param config  the settings.
     * @param threads ORT intra-op threads, 0 for the default.
     */
    public Maco(CamTarget target, ConceptReadout readout, MacoOptions config, int threads) {
        this.target = target;
        this.config = config;
        ConceptObjective objective = target.objective(readout, config.crops());
        GradientGraph gg = GradientGraphBuilder.build(target.name(), objective.model(), objective.pixels(),
                objective.pixelShape(), objective.objective());
        this.gradient = new InputGradient(gg, threads);
    }

    /** @return the optimised image, its attribution map and the objective trace. */
    public MacoResult run() {
        int ih = config.imageHeight();
        int iw = config.imageWidth();
        int oh = target.inputHeight();
        int ow = target.inputWidth();
        int cropSize = 3 * oh * ow;
        SpectralImage image = new SpectralImage(ih, iw, config.seed());
        Nadam opt = new Nadam(image.phase().length, config.learningRate());
        Random r = new Random(config.seed() ^ 0x5DEECE66DL);
        double[] attribution = new double[ih * iw];
        double[] trace = new double[config.steps()];
        float[] seed = {1f};
        for (int step = 0; step < config.steps(); step++) {
            double[] pixels = image.render();
            CropBox[] boxes = new CropBox[config.crops()];
            float[] batch = new float[config.crops() * cropSize];
            for (int b = 0; b < boxes.length; b++) {
                boxes[b] = CropBox.random(r, ih, iw, config.cropMin(), config.cropMax());
                double[] crop = boxes[b].sample(pixels, ih, iw, oh, ow);
                for (int i = 0; i < cropSize; i++) {
                    double noise = config.noiseStd() * r.nextGaussian()
                            + config.noiseUniform() * (2 * r.nextDouble() - 1);
                    batch[b * cropSize + i] = (float) (crop[i] + noise);
                }
            }
            InputGradient.Result res = gradient.run(batch, seed);
            trace[step] = res.output()[0];
            double[] dImage = new double[3 * ih * iw];
            for (int b = 0; b < boxes.length; b++) {
                double[] g = new double[cropSize];
                for (int i = 0; i < cropSize; i++) {
                    // Minimise -objective.
                    g[i] = -res.gradient()[b * cropSize + i];
                }
                double[] back = boxes[b].adjoint(g, ih, iw, oh, ow);
                for (int i = 0; i < back.length; i++) {
                    dImage[i] += back[i];
                }
            }
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < ih * iw; p++) {
                    attribution[p] += Math.abs(dImage[c * ih * iw + p]);
                }
            }
            opt.step(image.phase(), image.backward(dImage));
        }
        double[] finalPixels = image.render();
        return new MacoResult(ih, iw, toFloat(finalPixels), toFloat(attribution), trace);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Override
    public void close() {
        gradient.close();
    }
}
