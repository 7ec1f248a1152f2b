package org.tribuo.usae.engine;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.UsaeParameters;

/**
 * The arithmetic of a USAE. Engines are pure: they read parameters and a batch and return codes,
 * reconstructions, losses and gradients; they never change parameters or training state. The
 * trainer owns the optimiser, BatchNorm running statistics and dead-latent counters.
 *
 * <p>All activations are standardised ({@code (x - mu)/(sigma + 1e-5)}) before they reach an engine.
 */
public interface Engine {

    /**
     * One training forward and backward pass (BatchNorm in train mode, batch statistics).
     *
     * @param params      parameters (read only).
     * @param batch       standardised rows of every model.
     * @param sources     indices of the models encoded this step (one for the official recipe).
     * @param objective   loss and update rule.
     * @param stepsSinceFired per model, {@code [m]} steps since the latent last fired, before this
     *                    step (SPARC's counters; may be null unless the objective is DEAD_AUXK). As in
     *                    SPARC, a latent is dead for this step's AuxK when it does not fire in this
     *                    batch and {@code stepsSinceFired + 1 > objective.deadSteps()}.
     * @return losses, gradients of the parameters the update rule moves, and step statistics.
     */
    StepOutput forwardBackward(UsaeParameters params, Batch batch, int[] sources, Objective objective,
                               long[][] stepsSinceFired);

    /**
     * Encodes one model's standardised rows in eval mode (BatchNorm running statistics).
     * For GLOBAL_TOPK architectures this is that model's own TopK (the model alone has no
     * partner rows); use {@link #encodeJoint} when all models' rows of the same tokens exist.
     *
     * @param params parameters.
     * @param model  model index.
     * @param x      {@code [rows x d_model]} standardised activations.
     * @param rows   number of rows.
     * @return sparse codes {@code [rows x k]}.
     */
    SparseCodes encode(UsaeParameters params, int model, float[] x, int rows);

    /**
     * Encodes all models' rows of the same tokens; for GLOBAL_TOPK the indices are shared.
     * @param params parameters.
     * @param batch standardised rows of every model.
     * @return per model sparse codes.
     */
    SparseCodes[] encodeJoint(UsaeParameters params, Batch batch);

    /**
     * Decodes codes into a target model's standardised space.
     * @param params parameters.
     * @param codes  sparse codes {@code [rows x k]}.
     * @param target target model index.
     * @param out    {@code [rows x d_target]} output, overwritten.
     */
    void decode(UsaeParameters params, SparseCodes codes, int target, float[] out);
}
