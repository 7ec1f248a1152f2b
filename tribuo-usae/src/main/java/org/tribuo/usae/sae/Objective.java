package org.tribuo.usae.sae;

/**
 * What a training step minimises and which models it encodes.
 *
 * <p>Per step with sources S: for each source s in S and target t, the reconstruction term
 * {@code rec(x_t, D_t(z_s))} is weighted {@code 1} when S has one model (official USAE: a plain sum
 * over targets), and for S = all models {@code 1/M} for t = s and {@code crossWeight / (M(M-1))}
 * for t != s (SPARC's mean of self terms plus lambda times the mean of cross terms).
 *
 * @param reconstruction the reconstruction criterion.
 * @param aux            the auxiliary loss.
 * @param auxWeight      weight of the auxiliary loss (0.1 official half-aux, 1/32 SPARC AuxK).
 * @param auxK           latents used by DEAD_AUXK.
 * @param crossWeight    lambda, the weight of cross terms when every model is a source.
 * @param sources        one random source per step, or all models.
 * @param updateRule     which parameters move.
 * @param deadSteps      a latent is dead for DEAD_AUXK after this many steps without firing.
 * @param fireThreshold  a latent fired in a step if its code exceeds this in some row.
 * @param matryoshkaLevels nested dictionary prefixes each reconstruction term averages over
 *                       ({@link MatryoshkaPrefixes}); 1 is the plain loss.
 */
public record Objective(ReconstructionLoss reconstruction, AuxLossKind aux, double auxWeight, int auxK,
                        double crossWeight, SourceSelection sources, UpdateRule updateRule,
                        int deadSteps, double fireThreshold, int matryoshkaLevels) {
    public Objective {
        new MatryoshkaPrefixes(matryoshkaLevels);
    }

    /** An objective with the plain reconstruction loss (one prefix). */
    public Objective(ReconstructionLoss reconstruction, AuxLossKind aux, double auxWeight, int auxK,
                     double crossWeight, SourceSelection sources, UpdateRule updateRule, int deadSteps,
                     double fireThreshold) {
        this(reconstruction, aux, auxWeight, auxK, crossWeight, sources, updateRule, deadSteps, fireThreshold, 1);
    }

    /**
     * The weight of the reconstruction term that decodes source s's code into target t (the rule in the class
     * comment); every engine reads it here.
     * @param s source model.
     * @param t target model.
     * @param numSources sources this step.
     * @param numModels models.
     * @return the term's weight.
     */
    public double termWeight(int s, int t, int numSources, int numModels) {
        if (numSources == 1) {
            return 1.0;
        }
        if (s == t) {
            return 1.0 / numSources;
        }
        return crossWeight / ((double) numSources * (numModels - 1));
    }

    /** @return the auxiliary loss block, with this objective's settings. */
    public AuxiliaryLoss auxBlock() {
        return aux.block(this);
    }

    /** @return the nested prefixes each reconstruction term averages over. */
    public MatryoshkaPrefixes prefixes() {
        return matryoshkaLevels == 1 ? MatryoshkaPrefixes.NONE : new MatryoshkaPrefixes(matryoshkaLevels);
    }

    /**
     * The record's text, with {@code matryoshkaLevels} only where it is used: the resolved settings text
     * (checkpoints' run identity) of the plain loss stays as it was before the option existed.
     */
    @Override
    public String toString() {
        return "Objective[reconstruction=" + reconstruction + ", aux=" + aux + ", auxWeight=" + auxWeight + ", auxK="
                + auxK + ", crossWeight=" + crossWeight + ", sources=" + sources + ", updateRule=" + updateRule
                + ", deadSteps=" + deadSteps + ", fireThreshold=" + fireThreshold
                + (matryoshkaLevels == 1 ? "" : ", matryoshkaLevels=" + matryoshkaLevels) + "]";
    }
}
