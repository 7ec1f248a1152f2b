package org.tribuo.usae.interop;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs SAELens's forward ({@link SaeLensForward}) on the exported folders and the USAE's own forward on the same
 * rows of an activation set, and counts where they differ: the check of an export on the user's own data.
 */
public final class SaeLensExportCheck {
    private SaeLensExportCheck() {
    }

    /**
     * One model's agreement.
     * @param model            the model.
     * @param rows             rows compared.
     * @param activeSetDiffers rows whose set of non-zero latents differs.
     * @param fewerThanK       rows with fewer than k positive pre-activations (where TopK-then-ReLU and ReLU-then-TopK
     *                         fill the k slots differently; the codes must still agree).
     * @param maxCodeDiff      the largest |code difference|.
     * @param maxCode          the largest |code|, for scale.
     * @param maxReconDiff     the largest |self-reconstruction difference|.
     * @param maxRecon         the largest |reconstruction|, for scale.
     */
    public record ModelAgreement(String model, int rows, int activeSetDiffers, int fewerThanK, double maxCodeDiff,
                                 double maxCode, double maxReconDiff, double maxRecon) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: %,d rows, active sets differ in %d, rows with fewer than k "
                            + "positive pre-activations %d, max |code difference| %.3g (codes up to %.3g), "
                            + "max |reconstruction difference| %.3g (values up to %.3g)", model, rows, activeSetDiffers,
                    fewerThanK, maxCodeDiff, maxCode, maxReconDiff, maxRecon);
        }
    }

    /**
     * @param model  the exported model.
     * @param export what {@link SaeLensExport#write} wrote for it.
     * @param set    activations of the model's models, in model order.
     * @param rows   how many of the set's LAST rows to compare.
     * @return per model, the agreement; empty for joint selections (one folder alone is not the USAE's forward there).
     */
    public static List<ModelAgreement> run(UsaeModel model, SaeLensExport.Result export, ActivationSet set, int rows) {
        List<ModelAgreement> out = new ArrayList<>();
        if (model.parameters().architecture().sparsity().joint()) {
            return out;
        }
        int n = (int) Math.min(rows, set.rows());
        long[] ids = new long[n];
        for (int q = 0; q < n; q++) {
            ids[q] = set.rows() - n + q;
        }
        int k = model.parameters().architecture().k();
        for (int i = 0; i < model.parameters().numModels(); i++) {
            SaeLensWeights w = SaeLensWeights.read(export.folders().get(i));
            int m = w.dSae();
            int d = w.dIn();
            float[] x = new float[n * d];
            set.readRows(i, ids, x);
            SparseCodes codes = model.encode(i, x, n);
            float[] ours = codes.toDense(m);
            float[] recon = model.decode(codes, i);
            double[] z = SaeLensForward.encode(w, false, k, x, n);
            double[] theirs = SaeLensForward.decode(w, z, n);
            int differ = 0;
            int fewer = 0;
            double maxDiff = 0;
            double maxCode = 0;
            for (int r = 0; r < n; r++) {
                boolean same = true;
                int positive = 0;
                for (int j = 0; j < m; j++) {
                    double o = ours[r * m + j];
                    double t = z[r * m + j];
                    maxDiff = Math.max(maxDiff, Math.abs(o - t));
                    maxCode = Math.max(maxCode, Math.abs(o));
                    same &= (o != 0) == (t != 0);
                    positive += t > 0 ? 1 : 0;
                }
                differ += same ? 0 : 1;
                fewer += positive < k ? 1 : 0;
            }
            double maxReconDiff = 0;
            double maxRecon = 0;
            for (int q = 0; q < recon.length; q++) {
                maxReconDiff = Math.max(maxReconDiff, Math.abs(recon[q] - theirs[q]));
                maxRecon = Math.max(maxRecon, Math.abs(recon[q]));
            }
            out.add(new ModelAgreement(model.modelNames().get(i), n, differ, fewer, maxDiff, maxCode, maxReconDiff, maxRecon));
        }
        return out;
    }
}
