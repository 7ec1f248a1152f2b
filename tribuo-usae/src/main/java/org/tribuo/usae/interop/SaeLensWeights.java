package org.tribuo.usae.interop;

/**
 * One model's encoder and decoder in SAELens's layout, on RAW activations: {@code pre = x @ wEnc + bEnc},
 * {@code z = TopK(pre)} then ReLU (or, with a threshold, {@code relu(pre) * (pre > threshold)}),
 * {@code x_hat = z @ wDec + bDec}.
 *
 * @param dIn       the model's width d.
 * @param dSae      the latents m.
 * @param wEnc      {@code [d x m]}.
 * @param bEnc      {@code [m]}.
 * @param wDec      {@code [m x d]}.
 * @param bDec      {@code [d]}.
 * @param threshold {@code [m]} JumpReLU thresholds, or null for TopK.
 */
public record SaeLensWeights(int dIn, int dSae, float[] wEnc, float[] bEnc, float[] wDec, float[] bDec,
                             float[] threshold) {
    /**
     * @param folder a SAELens folder.
     * @return its {@code sae_weights.safetensors} (with {@code threshold} when present).
     */
    public static SaeLensWeights read(java.nio.file.Path folder) {
        SafetensorsFile f = SafetensorsFile.open(folder.resolve(SaeLensExport.WEIGHTS));
        int d = Math.toIntExact(f.tensor("b_dec").shape()[0]);
        int m = Math.toIntExact(f.tensor("b_enc").shape()[0]);
        float[] threshold = f.tensors().containsKey("threshold") ? f.floats("threshold", m) : null;
        return new SaeLensWeights(d, m, f.floats("W_enc", d, m), f.floats("b_enc", m), f.floats("W_dec", m, d),
                f.floats("b_dec", d), threshold);
    }
}
