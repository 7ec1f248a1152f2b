package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;

/**
 * A named training recipe: the value of every recipe-dependent {@link UsaeTrainer} option, each under the
 * trainer option's own name. A recipe is one OLCUT configuration file holding one component of this type; the
 * built-in ones live next to this class (resource folder {@code recipes/}) and are listed by {@link Recipes}, and a
 * user's recipe is the path of such a file. A trainer option that is set wins over its recipe's value.
 *
 * <p>Every field is mandatory, so a recipe file that misses an option, or names one that does not exist, fails when
 * it is loaded, with the file and the option in the message.
 */
public final class Recipe implements Configurable {
    @Config(mandatory = true, description = "The recipe's name (a built-in recipe's file is its name in lower case).")
    private String name;
    @Config(mandatory = true, description = "One sentence: what the recipe is and when to use it.")
    private String description;
    @Config(mandatory = true, description = "Active latents per row.")
    private int k;
    @Config(mandatory = true, description = "Encoder: BATCHNORM or AFFINE.")
    private EncoderKind encoder;
    @Config(mandatory = true, description = "TOPK, GLOBAL_TOPK or HYBRID_TOPK.")
    private SparsityKind sparsity;
    @Config(mandatory = true, description = "Learned decoder bias (tied to the pre-bias for AFFINE encoders).")
    private boolean decoderBias;
    @Config(mandatory = true, description = "ROW_NORMALIZED or UNIT_NORM_PROJECTED.")
    private DictionaryConstraint dictionary;
    @Config(mandatory = true, description = "SPARC's tied unit-norm initialisation instead of the randn dictionary.")
    private boolean tiedInit;
    @Config(mandatory = true, description = "Reconstruction loss: L1, L2 or NMSE.")
    private ReconstructionLoss loss;
    @Config(mandatory = true, description = "Auxiliary loss: HALF, DEAD_AUXK or NONE.")
    private AuxLossKind aux;
    @Config(mandatory = true, description = "Weight of the auxiliary loss.")
    private double auxWeight;
    @Config(mandatory = true, description = "Latents used by DEAD_AUXK.")
    private int auxK;
    @Config(mandatory = true, description = "Weight lambda of cross-reconstruction terms when every model is a source.")
    private double crossWeight;
    @Config(mandatory = true, description = "RANDOM_ONE or ALL.")
    private SourceSelection sources;
    @Config(mandatory = true, description = "SOURCE_ONLY or ALL_MODELS.")
    private UpdateRule updateRule;
    @Config(mandatory = true, description = "Steps without firing after which a latent is dead.")
    private int deadSteps;
    @Config(mandatory = true, description = "A latent fires in a step when some code exceeds this.")
    private double fireThreshold;
    @Config(mandatory = true, description = "Re-initialise dead latents' encoder rows every this many steps (0 = never).")
    private int deadReinitEvery;
    @Config(mandatory = true, description = "Peak learning rate.")
    private double learningRate;
    @Config(mandatory = true, description = "Final learning rate of the cosine schedule.")
    private double finalLearningRate;
    @Config(mandatory = true, description = "Learning rate at the first warmup step.")
    private double warmupStartRate;
    @Config(mandatory = true, description = "Fraction of all steps spent in linear warmup.")
    private double warmupFraction;
    @Config(mandatory = true, description = "Cosine schedule with warmup (else constant).")
    private boolean cosineSchedule;
    @Config(mandatory = true, description = "Official quirk: each model's schedule advances only when it is updated.")
    private boolean schedulePerSource;
    @Config(mandatory = true, description = "AdamW decoupled weight decay.")
    private double weightDecay;
    @Config(mandatory = true, description = "Per-model gradient global-norm clip (0 = none).")
    private double gradClip;
    @Config(mandatory = true, description = "Rows (tokens) per step.")
    private int batchSize;
    @Config(mandatory = true, description = "Epochs over the training rows (used when steps is 0).")
    private int epochs;

    /** For OLCUT. */
    private Recipe() {
    }

    @Override
    public void postConfig() {
        if (name.isBlank()) {
            throw new PropertyException("", "name", "a recipe needs a name");
        }
        if (k < 1 || batchSize < 1 || deadSteps < 1 || epochs < 0 || auxK < 0 || deadReinitEvery < 0) {
            throw new PropertyException("", "k", "recipe " + name + ": k, batchSize and deadSteps must be >= 1 and epochs, "
                    + "auxK and deadReinitEvery >= 0; got " + k + ", " + batchSize + ", " + deadSteps + ", " + epochs + ", "
                    + auxK + ", " + deadReinitEvery);
        }
    }

    /** @return the recipe's name. */
    public String name() { return name; }
    /** @return one sentence on what the recipe is and when to use it. */
    public String description() { return description; }
    /** @return active latents per row. */
    public int k() { return k; }
    /** @return the encoder. */
    public EncoderKind encoder() { return encoder; }
    /** @return how a row's active latents are chosen. */
    public SparsityKind sparsity() { return sparsity; }
    /** @return whether decoders have a learned bias. */
    public boolean decoderBias() { return decoderBias; }
    /** @return how dictionary rows are kept at unit norm. */
    public DictionaryConstraint dictionary() { return dictionary; }
    /** @return whether the dictionary starts tied to the encoder (SPARC). */
    public boolean tiedInit() { return tiedInit; }
    /** @return the reconstruction loss. */
    public ReconstructionLoss loss() { return loss; }
    /** @return the auxiliary loss. */
    public AuxLossKind aux() { return aux; }
    /** @return the auxiliary loss's weight. */
    public double auxWeight() { return auxWeight; }
    /** @return latents used by DEAD_AUXK. */
    public int auxK() { return auxK; }
    /** @return the weight of cross terms. */
    public double crossWeight() { return crossWeight; }
    /** @return which models are encoded each step. */
    public SourceSelection sources() { return sources; }
    /** @return which parameters move. */
    public UpdateRule updateRule() { return updateRule; }
    /** @return steps without firing after which a latent is dead. */
    public int deadSteps() { return deadSteps; }
    /** @return the code value above which a latent fired. */
    public double fireThreshold() { return fireThreshold; }
    /** @return steps between re-initialisations of dead latents (0 = never). */
    public int deadReinitEvery() { return deadReinitEvery; }
    /** @return the peak learning rate. */
    public double learningRate() { return learningRate; }
    /** @return the cosine schedule's final learning rate. */
    public double finalLearningRate() { return finalLearningRate; }
    /** @return the learning rate at the first warmup step. */
    public double warmupStartRate() { return warmupStartRate; }
    /** @return the fraction of steps in warmup. */
    public double warmupFraction() { return warmupFraction; }
    /** @return whether the schedule is cosine with warmup. */
    public boolean cosineSchedule() { return cosineSchedule; }
    /** @return whether each model's schedule advances only when it is updated. */
    public boolean schedulePerSource() { return schedulePerSource; }
    /** @return AdamW's weight decay. */
    public double weightDecay() { return weightDecay; }
    /** @return the per-model gradient clip (0 = none). */
    public double gradClip() { return gradClip; }
    /** @return rows per step. */
    public int batchSize() { return batchSize; }
    /** @return epochs (used when steps is 0). */
    public int epochs() { return epochs; }

    @Override
    public String toString() {
        return "Recipe(" + name + ")";
    }
}
