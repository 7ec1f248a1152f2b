package org.tribuo.usae.train;

/**
 * One training step as the {@link TrainingLoop} planned it before an engine runs it.
 *
 * @param sources       the models encoded this step (one random model, or all of them).
 * @param learningRates per model, the learning rate of its update this step (schedule applied); NaN for models the
 *                      update rule leaves alone.
 * @param adam          per model, the AdamW scalars of its update (from the step count its first tensor will have);
 *                      null for models the update rule leaves alone.
 */
public record PlannedStep(int[] sources, double[] learningRates, AdamW.StepScalars[] adam) {
    /**
     * A step that updates its sources alone, all with one learning rate and one set of AdamW scalars (what the fused
     * graph runs; tests that drive an engine by hand).
     * @param numModels the models.
     * @param sources   the step's sources.
     * @param lr        their learning rate.
     * @param adam      their AdamW scalars.
     * @return the plan.
     */
    public static PlannedStep ofSources(int numModels, int[] sources, double lr, AdamW.StepScalars adam) {
        double[] rates = new double[numModels];
        java.util.Arrays.fill(rates, Double.NaN);
        AdamW.StepScalars[] scalars = new AdamW.StepScalars[numModels];
        for (int s : sources) {
            rates[s] = lr;
            scalars[s] = adam;
        }
        return new PlannedStep(sources, rates, scalars);
    }

    /** @return the learning rate of the first source's update (what the listeners report). */
    public double learningRate() {
        return learningRates[sources[0]];
    }

    /** @param model a model index. @return whether the step updates it. */
    public boolean updates(int model) {
        return adam[model] != null;
    }
}
