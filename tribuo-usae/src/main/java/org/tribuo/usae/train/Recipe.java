package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.BiasInit;
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
    @Config(description = "Matryoshka: nested dictionary prefixes each reconstruction term averages over (1, the "
            + "default, is the plain loss).")
    private int matryoshkaLevels = 1;
    @Config(description = "How the input/decoder bias starts: ZERO (the default) or DATA_MEAN (the training rows' "
            + "mean; needs decoderBias).")
    private BiasInit biasInit = BiasInit.ZERO;

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
        if (matryoshkaLevels < 1 || matryoshkaLevels > 31) {
            throw new PropertyException("", "matryoshkaLevels", "recipe " + name + ": matryoshkaLevels must be in [1, 31], got "
                    + matryoshkaLevels);
        }
    }

    /** @return the recipe's name. */
    public String name() { return name; }
    /** @return one sentence on what the recipe is and when to use it. */
    public String description() { return description; }
    /** @return active latents per row. */
    /** @return the Matryoshka prefixes each reconstruction term averages over (1: the plain loss). */
    public int matryoshkaLevels() { return matryoshkaLevels; }
    /** @return how the bias starts. */
    public BiasInit biasInit() { return biasInit; }
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

    /**
     * A recipe in code: this recipe's values under a new name, to change some of them. Pass the result to
     * {@link UsaeTrainer#UsaeTrainer(Recipe, long, long)}.
     * <pre>{@code
     * Recipe mine = Recipes.get("ALIGNED").derive("ALIGNED_GLOBAL", "ALIGNED with global TopK")
     *         .sparsity(SparsityKind.GLOBAL_TOPK).learningRate(1e-3).build();
     * }</pre>
     * @param newName     the new recipe's name.
     * @param newDescription one sentence on what it is.
     * @return a builder holding this recipe's values.
     */
    public Builder derive(String newName, String newDescription) {
        Builder b = new Builder();
        b.recipe.name = newName;
        b.recipe.description = newDescription;
            b.recipe.k = k;
            b.recipe.encoder = encoder;
            b.recipe.sparsity = sparsity;
            b.recipe.decoderBias = decoderBias;
            b.recipe.dictionary = dictionary;
            b.recipe.tiedInit = tiedInit;
            b.recipe.loss = loss;
            b.recipe.aux = aux;
            b.recipe.auxWeight = auxWeight;
            b.recipe.auxK = auxK;
            b.recipe.crossWeight = crossWeight;
            b.recipe.sources = sources;
            b.recipe.updateRule = updateRule;
            b.recipe.deadSteps = deadSteps;
            b.recipe.fireThreshold = fireThreshold;
            b.recipe.deadReinitEvery = deadReinitEvery;
            b.recipe.learningRate = learningRate;
            b.recipe.finalLearningRate = finalLearningRate;
            b.recipe.warmupStartRate = warmupStartRate;
            b.recipe.warmupFraction = warmupFraction;
            b.recipe.cosineSchedule = cosineSchedule;
            b.recipe.schedulePerSource = schedulePerSource;
            b.recipe.weightDecay = weightDecay;
            b.recipe.gradClip = gradClip;
            b.recipe.batchSize = batchSize;
            b.recipe.epochs = epochs;
            b.recipe.matryoshkaLevels = matryoshkaLevels;
            b.recipe.biasInit = biasInit;
        return b;
    }

    /** Sets a recipe's values by name and type; {@link #build()} checks them as a recipe file is checked. */
    public static final class Builder {
        private final Recipe recipe = new Recipe();
        private boolean built;

        private Builder() {
        }

        /** @param v the value of {@code k}. @return this builder. */
        public Builder k(int v) {
            recipe.k = v;
            return this;
        }

        /** @param v the value of {@code encoder}. @return this builder. */
        public Builder encoder(EncoderKind v) {
            recipe.encoder = v;
            return this;
        }

        /** @param v the value of {@code sparsity}. @return this builder. */
        public Builder sparsity(SparsityKind v) {
            recipe.sparsity = v;
            return this;
        }

        /** @param v the value of {@code decoderBias}. @return this builder. */
        public Builder decoderBias(boolean v) {
            recipe.decoderBias = v;
            return this;
        }

        /** @param v the value of {@code dictionary}. @return this builder. */
        public Builder dictionary(DictionaryConstraint v) {
            recipe.dictionary = v;
            return this;
        }

        /** @param v the value of {@code tiedInit}. @return this builder. */
        public Builder tiedInit(boolean v) {
            recipe.tiedInit = v;
            return this;
        }

        /** @param v the value of {@code loss}. @return this builder. */
        public Builder loss(ReconstructionLoss v) {
            recipe.loss = v;
            return this;
        }

        /** @param v the value of {@code aux}. @return this builder. */
        public Builder aux(AuxLossKind v) {
            recipe.aux = v;
            return this;
        }

        /** @param v the value of {@code auxWeight}. @return this builder. */
        public Builder auxWeight(double v) {
            recipe.auxWeight = v;
            return this;
        }

        /** @param v the value of {@code auxK}. @return this builder. */
        public Builder auxK(int v) {
            recipe.auxK = v;
            return this;
        }

        /** @param v the value of {@code crossWeight}. @return this builder. */
        public Builder crossWeight(double v) {
            recipe.crossWeight = v;
            return this;
        }

        /** @param v the value of {@code sources}. @return this builder. */
        public Builder sources(SourceSelection v) {
            recipe.sources = v;
            return this;
        }

        /** @param v the value of {@code updateRule}. @return this builder. */
        public Builder updateRule(UpdateRule v) {
            recipe.updateRule = v;
            return this;
        }

        /** @param v the value of {@code deadSteps}. @return this builder. */
        public Builder deadSteps(int v) {
            recipe.deadSteps = v;
            return this;
        }

        /** @param v the value of {@code fireThreshold}. @return this builder. */
        public Builder fireThreshold(double v) {
            recipe.fireThreshold = v;
            return this;
        }

        /** @param v the value of {@code deadReinitEvery}. @return this builder. */
        public Builder deadReinitEvery(int v) {
            recipe.deadReinitEvery = v;
            return this;
        }

        /** @param v the value of {@code learningRate}. @return this builder. */
        public Builder learningRate(double v) {
            recipe.learningRate = v;
            return this;
        }

        /** @param v the value of {@code finalLearningRate}. @return this builder. */
        public Builder finalLearningRate(double v) {
            recipe.finalLearningRate = v;
            return this;
        }

        /** @param v the value of {@code warmupStartRate}. @return this builder. */
        public Builder warmupStartRate(double v) {
            recipe.warmupStartRate = v;
            return this;
        }

        /** @param v the value of {@code warmupFraction}. @return this builder. */
        public Builder warmupFraction(double v) {
            recipe.warmupFraction = v;
            return this;
        }

        /** @param v the value of {@code cosineSchedule}. @return this builder. */
        public Builder cosineSchedule(boolean v) {
            recipe.cosineSchedule = v;
            return this;
        }

        /** @param v the value of {@code schedulePerSource}. @return this builder. */
        public Builder schedulePerSource(boolean v) {
            recipe.schedulePerSource = v;
            return this;
        }

        /** @param v the value of {@code weightDecay}. @return this builder. */
        public Builder weightDecay(double v) {
            recipe.weightDecay = v;
            return this;
        }

        /** @param v the value of {@code gradClip}. @return this builder. */
        public Builder gradClip(double v) {
            recipe.gradClip = v;
            return this;
        }

        /** @param v the value of {@code batchSize}. @return this builder. */
        public Builder batchSize(int v) {
            recipe.batchSize = v;
            return this;
        }

        /** @param v the value of {@code biasInit}. @return this builder. */
        public Builder biasInit(BiasInit v) {
            recipe.biasInit = v;
            return this;
        }

        /** @param v the value of {@code matryoshkaLevels}. @return this builder. */
        public Builder matryoshkaLevels(int v) {
            recipe.matryoshkaLevels = v;
            return this;
        }

        /** @param v the value of {@code epochs}. @return this builder. */
        public Builder epochs(int v) {
            recipe.epochs = v;
            return this;
        }

        /**
         * @return the recipe.
         * @throws IllegalArgumentException in one line when a value is out of range, or an option was never set.
         */
        public Recipe build() {
            if (built) {
                throw new IllegalStateException("this builder has built its recipe already");
            }
            for (Object v : new Object[]{recipe.name, recipe.description, recipe.encoder, recipe.sparsity, recipe.dictionary,
                    recipe.loss, recipe.aux, recipe.sources, recipe.updateRule}) {
                if (v == null) {
                    throw new IllegalArgumentException("recipe " + recipe.name + ": every option needs a value");
                }
            }
            try {
                recipe.postConfig();
            } catch (PropertyException e) {
                throw new IllegalArgumentException(e.getMsg(), e);
            }
            built = true;
            return recipe;
        }
    }

    @Override
    public String toString() {
        return "Recipe(" + name + ")";
    }
}
