package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSetDatasetProvenance;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.data.BatchStream;
import org.tribuo.usae.data.DataFingerprint;
import org.tribuo.usae.data.Standardizer;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.model.ConceptActivations;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.BiasInit;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Trains a Universal Sparse Autoencoder: one concept dictionary shared by several models.
 *
 * <p>Options left unset take the value of the chosen {@link Recipe} ({@code ALIGNED}, the default:
 * tuned for cross-model concept recovery; {@code FAITHFUL}: the official USAE code; {@code SPARC}:
 * its successor's recipe); after {@link #postConfig()} every
 * option holds its resolved value, so the provenance records exactly what ran and re-creates it.
 * Trains from an {@link ActivationSet} (float32, streaming: the fast path) or from a Tribuo
 * {@link Dataset} whose features are named {@code <model>:<index>} (small data and pipelines).
 */
public final class UsaeTrainer implements Trainer<ConceptActivations> {

    @Config(description = "Where unset options take their values: a built-in recipe's name (any case; ALIGNED is the "
            + "default, `usae train --help` lists them) or the path of a recipe file.")
    private String recipe = Recipes.DEFAULT;
    @Config(description = "Number of latents m; 0 means expansionFactor x the widest model.")
    private int numLatents = 0;
    @Config(description = "m = expansionFactor x max width when numLatents is 0 (official: 8).")
    private int expansionFactor = 8;
    @Config(description = "Active latents per row.")
    private Integer k;
    @Config(description = "Encoder: BATCHNORM or AFFINE.")
    private EncoderKind encoder;
    @Config(description = "TOPK per model, GLOBAL_TOPK over summed pre-activations, HYBRID_TOPK (sharedK global "
            + "slots, the rest per model) or BATCH_TOPK (rows x k per model over the batch; a threshold at inference).")
    private SparsityKind sparsity;
    @Config(description = "HYBRID_TOPK's globally chosen slots of the k (1 to k-1; default 3k/4). Unused otherwise.")
    private Integer sharedK;
    @Config(description = "Matryoshka: nested dictionary prefixes (doubling, the last the whole dictionary) each "
            + "reconstruction term averages over, so the first latents reconstruct alone; 1 is the plain loss. "
            + "Default: the recipe's (1 unless it says).")
    private Integer matryoshkaLevels;
    @Config(description = "BATCH_TOPK's most active latents in one row (k to numLatents; default 4k, at most "
            + "numLatents). Unused otherwise.")
    private Integer maxRowSlots;
    @Config(description = "Learned decoder bias (tied to the pre-bias for AFFINE encoders).")
    private Boolean decoderBias;
    @Config(description = "ROW_NORMALIZED (official) or UNIT_NORM_PROJECTED (SPARC).")
    private DictionaryConstraint dictionary;
    @Config(description = "SPARC's tied unit-norm initialisation instead of the official randn dictionary.")
    private Boolean tiedInit;
    @Config(description = "How the input/decoder bias starts: ZERO (as SPARC) or DATA_MEAN (each column's mean over the "
            + "standardised training rows; needs decoderBias; ALIGNED's default, and what real CNN feature maps need). "
            + "Default: the recipe's.")
    private BiasInit biasInit;
    @Config(description = "How a dead latent restarts at each re-initialisation (deadReinitEvery): NOISE (default, "
            + "SPARC's small random encoder row) or DATA_ROWS (one token of the batch, the same in every model where "
            + "it is dead: its direction becomes the latent's dictionary and encoder rows).")
    private DeadLatentReinit deadReinit = DeadLatentReinit.NOISE;
    @Config(description = "Reconstruction loss: L1, L2 or NMSE.")
    private ReconstructionLoss loss;
    @Config(description = "Auxiliary loss: HALF (official), DEAD_AUXK (Gao et al./SPARC) or NONE.")
    private AuxLossKind aux;
    @Config(description = "Weight of the auxiliary loss.")
    private Double auxWeight;
    @Config(description = "Latents used by DEAD_AUXK.")
    private Integer auxK;
    @Config(description = "Weight lambda of cross-reconstruction terms when every model is a source.")
    private Double crossWeight;
    @Config(description = "RANDOM_ONE source model per step (official) or ALL.")
    private SourceSelection sources;
    @Config(description = "SOURCE_ONLY (official) or ALL_MODELS.")
    private UpdateRule updateRule;
    @Config(description = "Steps without firing after which a latent is dead.")
    private Integer deadSteps;
    @Config(description = "A latent fires in a step when some code exceeds this.")
    private Double fireThreshold;
    @Config(description = "Re-initialise dead latents' encoder rows every this many steps (0 = never).")
    private Integer deadReinitEvery;
    @Config(description = "Peak learning rate.")
    private Double learningRate;
    @Config(description = "Final learning rate of the cosine schedule.")
    private Double finalLearningRate;
    @Config(description = "Learning rate at the first warmup step.")
    private Double warmupStartRate;
    @Config(description = "Fraction of all steps spent in linear warmup.")
    private Double warmupFraction;
    @Config(description = "Cosine schedule with warmup (else constant).")
    private Boolean cosineSchedule;
    @Config(description = "Official quirk: each model's schedule advances only when it is updated.")
    private Boolean schedulePerSource;
    @Config(description = "AdamW decoupled weight decay.")
    private Double weightDecay;
    @Config(description = "AdamW beta1.")
    private double beta1 = 0.9;
    @Config(description = "AdamW beta2.")
    private double beta2 = 0.999;
    @Config(description = "AdamW epsilon.")
    private double adamEpsilon = 1e-8;
    @Config(description = "Per-model gradient global-norm clip (0 = none).")
    private Double gradClip;
    @Config(description = "Rows (tokens) per step.")
    private Integer batchSize;
    @Config(description = "Epochs over the training rows (used when steps is 0).")
    private Integer epochs;
    @Config(description = "Total steps; 0 means epochs x batches per epoch.")
    private long steps = 0;
    @Config(description = "Rows sampled to estimate each model's scalar mean and std.")
    private int standardizationRows = 200_000;
    @Config(description = "Fraction of rows at the END of the set kept out of training (for evaluation).")
    private double holdOutFraction = 0.0;
    @Config(description = "CPU (fast float32), REFERENCE (double-precision oracle), or the fused ONNX Runtime "
            + "training graph ORT_CPU / ORT_CUDA (needs tribuo-usae-onnx; FAITHFUL-style settings only so far).")
    private EngineKind engine = EngineKind.CPU;
    @Config(description = "Steps fused into one ONNX Runtime call by the ORT engines (weights cross to the device once per chunk).")
    private int ortChunkSteps = 32;
    @Config(description = "ORT_CUDA: let matrix products use TF32 tensor cores (fp32 storage and accumulation, "
            + "about 10 mantissa bits per product; Ampere or newer). Off: full float32. ORT_CPU rejects it.")
    private boolean ortReducedPrecision = false;
    @Config(description = "Seed for initialisation, shuffling, sources and sampling.")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Write a checkpoint every this many steps when a checkpoint folder is given (0 = only at the end and on stop).")
    private long checkpointEverySteps = 0;
    @Config(description = "Write a checkpoint every this many minutes when a checkpoint folder is given (0 = off).")
    private double checkpointEveryMinutes = 0;
    @Config(description = "CheckpointFiles kept: the newest this many (0 = keep all).")
    private int checkpointKeep = 3;
    @Config(description = "Rows shuffled together at least: the training range is cut at shard boundaries, the pieces are "
            + "shuffled and grouped into windows of this many rows, and each window is shuffled (1 to 2^30). Ranges no "
            + "larger are shuffled whole.")
    private int shuffleWindowRows = BatchStream.DEFAULT_MIX_ROWS;

    private Rng64 rng;
    /** The recipe object a trainer was constructed with, if any; its values are recorded, not the object. */
    private transient Recipe given;
    private int trainInvocationCounter = 0;
    private transient List<TrainingListener> listeners = new ArrayList<>();

    /** For OLCUT. */
    private UsaeTrainer() {
    }

    /**
     * A trainer with the recipe's defaults.
     * @param recipe a built-in recipe's name (see {@link Recipes}) or the path of a recipe file.
     * @param steps total steps (0: the recipe's epochs).
     * @param seed the seed.
     */
    public UsaeTrainer(String recipe, long steps, long seed) {
        this.recipe = recipe;
        this.steps = steps;
        this.seed = seed;
        postConfig();
    }

    /**
     * A trainer that takes every recipe-dependent option from a recipe object (one built in code with
     * {@link Recipe#derive}); its name is recorded as the recipe, and the provenance holds every value, so the
     * trainer is re-created from it without the object.
     * @param recipe the recipe.
     * @param steps total steps (0: the recipe's epochs).
     * @param seed the seed.
     */
    public UsaeTrainer(Recipe recipe, long steps, long seed) {
        this.recipe = recipe.name();
        this.given = recipe;
        this.steps = steps;
        this.seed = seed;
        postConfig();
    }


    @Override
    public synchronized void postConfig() {
        // a built-in name is always checked (and written in its canonical case); a recipe file is read only when an
        // option needs it, so a trainer re-created from provenance (every option set) does not need the file
        recipe = Recipes.builtIn(recipe).orElse(recipe);
        // every option the first recipes set is given: a trainer re-created from provenance (or a config that spells
        // everything out); options newer than that provenance are then unset, and it trained at their plain values
        boolean everyFirstOptionSet = !anyRecipeOptionUnset();
        Recipe d;
        try {
            d = given != null ? given
                    : Recipes.builtIn(recipe).isPresent() || anyRecipeOptionUnset() ? Recipes.get(recipe) : null;
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "recipe", e.getMessage());
        }
        k = k != null ? k : d.k();
        encoder = encoder != null ? encoder : d.encoder();
        sparsity = sparsity != null ? sparsity : d.sparsity();
        sharedK = sharedK != null ? sharedK : k - k / 4;
        maxRowSlots = maxRowSlots != null ? maxRowSlots : 4 * k;
        // not among the options every recipe sets: a trainer re-created from provenance older than the option has it
        // unset and takes the plain value (the plain loss, a zero bias), which is what it trained with, even where its
        // recipe's default has changed since (ALIGNED's, in issue 20)
        matryoshkaLevels = matryoshkaLevels != null ? matryoshkaLevels
                : d != null && !everyFirstOptionSet ? d.matryoshkaLevels() : 1;
        biasInit = biasInit != null ? biasInit : d != null && !everyFirstOptionSet ? d.biasInit() : BiasInit.ZERO;
        decoderBias = decoderBias != null ? decoderBias : d.decoderBias();
        dictionary = dictionary != null ? dictionary : d.dictionary();
        tiedInit = tiedInit != null ? tiedInit : d.tiedInit();
        loss = loss != null ? loss : d.loss();
        aux = aux != null ? aux : d.aux();
        auxWeight = auxWeight != null ? auxWeight : d.auxWeight();
        auxK = auxK != null ? auxK : d.auxK();
        crossWeight = crossWeight != null ? crossWeight : d.crossWeight();
        sources = sources != null ? sources : d.sources();
        updateRule = updateRule != null ? updateRule : d.updateRule();
        deadSteps = deadSteps != null ? deadSteps : d.deadSteps();
        fireThreshold = fireThreshold != null ? fireThreshold : d.fireThreshold();
        deadReinitEvery = deadReinitEvery != null ? deadReinitEvery : d.deadReinitEvery();
        learningRate = learningRate != null ? learningRate : d.learningRate();
        finalLearningRate = finalLearningRate != null ? finalLearningRate : d.finalLearningRate();
        warmupStartRate = warmupStartRate != null ? warmupStartRate : d.warmupStartRate();
        warmupFraction = warmupFraction != null ? warmupFraction : d.warmupFraction();
        cosineSchedule = cosineSchedule != null ? cosineSchedule : d.cosineSchedule();
        schedulePerSource = schedulePerSource != null ? schedulePerSource : d.schedulePerSource();
        weightDecay = weightDecay != null ? weightDecay : d.weightDecay();
        gradClip = gradClip != null ? gradClip : d.gradClip();
        batchSize = batchSize != null ? batchSize : d.batchSize();
        epochs = epochs != null ? epochs : d.epochs();
        validate();
        rng = new Rng64(seed);
    }

    /** @return whether some option that a recipe supplies is unset. */
    private boolean anyRecipeOptionUnset() {
        return java.util.stream.Stream.of(k, encoder, sparsity, decoderBias, dictionary, tiedInit, loss, aux, auxWeight,
                auxK, crossWeight, sources, updateRule, deadSteps, fireThreshold, deadReinitEvery, learningRate,
                finalLearningRate, warmupStartRate, warmupFraction, cosineSchedule, schedulePerSource, weightDecay, gradClip,
                batchSize, epochs).anyMatch(java.util.Objects::isNull);
    }

    private void validate() {
        positive("k", k);
        positive("batchSize", batchSize);
        positive("expansionFactor", expansionFactor);
        if (numLatents < 0) {
            throw new PropertyException("", "numLatents", "numLatents must be >= 0 (0 = expansionFactor x max width), got " + numLatents);
        }
        if (numLatents > 0 && k > numLatents) {
            throw new PropertyException("", "k", "k (" + k + ") must not exceed numLatents (" + numLatents + ")");
        }
        if (steps < 0 || epochs < 0 || (steps == 0 && epochs == 0)) {
            throw new PropertyException("", "steps", "Set steps > 0 or epochs > 0; got steps=" + steps + ", epochs=" + epochs);
        }
        if (!(learningRate > 0) || !(finalLearningRate >= 0) || !(warmupStartRate >= 0)) {
            throw new PropertyException("", "learningRate", "Learning rates must be learningRate > 0, finalLearningRate >= 0, "
                    + "warmupStartRate >= 0; got " + learningRate + ", " + finalLearningRate + ", " + warmupStartRate);
        }
        range("warmupFraction", warmupFraction, 0, 1);
        range("holdOutFraction", holdOutFraction, 0, 0.99);
        nonNegative("auxWeight", auxWeight);
        nonNegative("crossWeight", crossWeight);
        nonNegative("weightDecay", weightDecay);
        nonNegative("gradClip", gradClip);
        nonNegative("deadReinitEvery", deadReinitEvery);
        positive("deadSteps", deadSteps);
        try {
            // the auxiliary loss checks the settings it takes (auxK for dead-latent AuxK)
            new Objective(loss, aux, auxWeight, auxK, crossWeight, sources, updateRule, deadSteps, fireThreshold).auxBlock();
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "aux", e.getMessage());
        }
        if (shuffleWindowRows < 1 || shuffleWindowRows > (1 << 30)) {
            throw new PropertyException("", "shuffleWindowRows", "shuffleWindowRows must be in [1, 2^30], got " + shuffleWindowRows);
        }
        if (checkpointEverySteps < 0 || !(checkpointEveryMinutes >= 0) || checkpointKeep < 0) {
            throw new PropertyException("", "checkpointEverySteps", "checkpointEverySteps, checkpointEveryMinutes and "
                    + "checkpointKeep must be >= 0; got " + checkpointEverySteps + ", " + checkpointEveryMinutes + ", " + checkpointKeep);
        }
        if (ortChunkSteps < 1) {
            throw new PropertyException("", "ortChunkSteps", "ortChunkSteps must be >= 1, got " + ortChunkSteps);
        }
        if (standardizationRows < 2) {
            throw new PropertyException("", "standardizationRows", "standardizationRows must be >= 2, got " + standardizationRows);
        }
        if (biasInit.fromData() && !decoderBias) {
            throw new PropertyException("", "biasInit", "biasInit DATA_MEAN starts the decoder bias at the data's mean, "
                    + "so it needs decoderBias = true (recipe " + recipe + " has none)");
        }
        if (sparsity.joint() && !sources.everyModel()) {
            throw new PropertyException("", "sparsity", sparsity + " selects latents from every model's pre-activations, "
                    + "so it needs sources = ALL (got " + sources + ")");
        }
        if (sparsity.sharedSlots() && (sharedK < 1 || sharedK >= k)) {
            throw new PropertyException("", "sharedK", "sharedK must be in [1, k-1] = [1, " + (k - 1) + "], got " + sharedK);
        }
        if (matryoshkaLevels < 1 || matryoshkaLevels > 31) {
            throw new PropertyException("", "matryoshkaLevels", "matryoshkaLevels must be in [1, 31], got " + matryoshkaLevels);
        }
        if (sparsity.rowCap() && maxRowSlots < k) {
            throw new PropertyException("", "maxRowSlots", "maxRowSlots must be >= k = " + k + ", got " + maxRowSlots);
        }
        try {
            new AdamWConfig(beta1, beta2, adamEpsilon, weightDecay);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "beta1", e.getMessage());
        }
    }

    private static void positive(String field, Number v) {
        if (v.doubleValue() <= 0) {
            throw new PropertyException("", field, field + " must be > 0, got " + v);
        }
    }

    private static void nonNegative(String field, Number v) {
        if (!(v.doubleValue() >= 0)) {
            throw new PropertyException("", field, field + " must be >= 0, got " + v);
        }
    }

    private static void range(String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new PropertyException("", field, field + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** @param listener receives every step (progress bars, logging). */
    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    /**
     * The settings a run on data of these widths and training rows resolves to.
     * @param dims model widths.
     * @param trainRows rows used for training.
     * @return resolved settings.
     */
    public TrainingSettings settingsFor(int[] dims, long trainRows) {
        int m = numLatents > 0 ? numLatents : expansionFactor * Arrays.stream(dims).max().orElseThrow();
        if (k > m) {
            throw new IllegalArgumentException("k (" + k + ") exceeds the number of latents (" + m + ")");
        }
        long batchesPerEpoch = Math.max(1, trainRows / batchSize);
        long total = steps > 0 ? steps : epochs * batchesPerEpoch;
        long warmup = Math.min(total, Math.round(warmupFraction * total));
        Architecture arch = new Architecture(m, k, encoder, sparsity, decoderBias, dictionary,
                sparsity.sharedSlots() ? sharedK : 0, sparsity.rowCap() ? Math.min(maxRowSlots, m) : 0);
        Objective obj = new Objective(loss, aux, auxWeight, auxK, crossWeight, sources, updateRule, deadSteps, fireThreshold,
                matryoshkaLevels);
        obj.prefixes().ends(m);   // m must hold distinct prefixes: fail here, in one line, not in the first step
        return new TrainingSettings(arch, obj, new AdamWConfig(beta1, beta2, adamEpsilon, weightDecay), learningRate,
                finalLearningRate, warmupStartRate, cosineSchedule, schedulePerSource, gradClip, deadReinitEvery, tiedInit,
                batchSize, total, warmup, standardizationRows, seed);
    }

    @Override
    public UsaeModel train(Dataset<ConceptActivations> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public UsaeModel train(Dataset<ConceptActivations> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public UsaeModel train(Dataset<ConceptActivations> examples, Map<String, Provenance> runProvenance,
                           int invocationCount) {
        try (ActivationSet set = ActivationSets.fromDataset(examples)) {
            return train(set, examples.getProvenance(), runProvenance, invocationCount);
        }
    }

    /**
     * Trains on an activation set (the fast path).
     * @param set aligned activations; its last holdOutFraction of rows are not used.
     * @return the model.
     */
    public UsaeModel train(ActivationSet set) {
        return train(set, new ActivationSetDatasetProvenance(set, trainRows(set.rows())), Collections.emptyMap(),
                INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains on an activation set, writing checkpoints and/or resuming from one.
     *
     * <p>Resuming re-creates the run from the checkpoint (parameters, optimiser moments, counters,
     * random streams, data position): with the same engine and thread count the result is bit-identical
     * to an uninterrupted run. The trainer must resolve to the same settings as the checkpointed run.
     *
     * @param set aligned activations; its last holdOutFraction of rows are not used.
     * @param checkpoints checkpoint folder, resume source and stop signal.
     * @return the model.
     * @throws TrainingStoppedException when a stop was requested (a checkpoint was written first).
     * @throws CheckpointException naming the file when a checkpoint cannot be read, matched or written.
     */
    public UsaeModel train(ActivationSet set, CheckpointOptions checkpoints) {
        return train(set, new ActivationSetDatasetProvenance(set, trainRows(set.rows())), Collections.emptyMap(),
                INCREMENT_INVOCATION_COUNT, checkpoints);
    }

    /**
     * Trains on an activation set.
     * @param set aligned activations.
     * @param dataProvenance provenance recorded for the data.
     * @param runProvenance extra run provenance.
     * @param invocationCount the invocation count to train as, or INCREMENT_INVOCATION_COUNT.
     * @return the model.
     */
    public UsaeModel train(ActivationSet set, DatasetProvenance dataProvenance,
                           Map<String, Provenance> runProvenance, int invocationCount) {
        return train(set, dataProvenance, runProvenance, invocationCount, CheckpointOptions.none());
    }

    /**
     * Trains on an activation set, with checkpoints.
     * @param set aligned activations.
     * @param dataProvenance provenance recorded for the data.
     * @param runProvenance extra run provenance.
     * @param invocationCount the invocation count to train as, or INCREMENT_INVOCATION_COUNT (when
     *     resuming: the checkpointed run's count).
     * @param checkpoints checkpoint folder, resume source and stop signal.
     * @return the model.
     */
    public UsaeModel train(ActivationSet set, DatasetProvenance dataProvenance,
                           Map<String, Provenance> runProvenance, int invocationCount, CheckpointOptions checkpoints) {
        int numModels = set.numModels();
        int[] dims = new int[numModels];
        for (int i = 0; i < numModels; i++) {
            dims[i] = set.dim(i);
        }
        long trainRows = trainRows(set.rows());
        TrainingSettings settings = settingsFor(dims, trainRows);
        MemoryEstimate.of(settings, dims, trainRows, FusedStepEngines.memory(engine), engine.fused() ? ortChunkSteps : 1)
                .requireFits(Runtime.getRuntime().maxMemory(), settings, dims);
        int batchSize = (int) Math.min(settings.batchSize(), trainRows);
        // The batch order depends on the window too, so a non-default window is part of what a resume must match.
        // Only non-default extras are appended, so checkpoints written before these options existed still match.
        String recordedSettings = settings + (shuffleWindowRows == BatchStream.DEFAULT_MIX_ROWS ? ""
                : ", shuffleWindowRows=" + shuffleWindowRows) + (biasInit.fromData() ? ", biasInit=" + biasInit : "")
                + (deadReinit.fromData() ? ", deadReinit=" + deadReinit : "");
        String dataFingerprint = DataFingerprint.of(set);
        RunIdentity identity = new RunIdentity(dataFingerprint, recordedSettings, trainRows, batchSize);
        CheckpointFiles.Loaded resume = checkpoints.resumeFrom() == null ? null
                : CheckpointFiles.resolve(checkpoints.resumeFrom(), identity, checkpoints.log());
        if (checkpoints.folder() != null) {
            CheckpointFiles.claim(checkpoints.folder(), identity, resume == null ? null : resume.file(), checkpoints.overwrite(),
                    checkpoints.log());
        }
        if (resume != null && invocationCount == INCREMENT_INVOCATION_COUNT) {
            invocationCount = resume.checkpoint().invocationCount();
        }
        Rng64 localRng;
        TrainerProvenance trainerProvenance;
        int invocation;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            invocation = trainInvocationCounter;
            localRng = rng.split();
            trainerProvenance = getProvenance();
            trainInvocationCounter++;
        }
        Rng64 initRng = localRng.split();
        long standardizeSeed = localRng.nextLong();
        Rng64 sourceRng = localRng.split();
        Rng64 reinitRng = localRng.split();
        long dataSeed = localRng.nextLong();
        BatchStream batches = new BatchStream(set, batchSize, dataSeed, 0, trainRows, true, shuffleWindowRows);
        TrainingState state;
        if (resume == null) {
            UsaeParameters params = Initializer.initialize(settings.architecture(), set.modelNames(), dims,
                    settings.tiedInit(), initRng);
            for (int i = 0; i < numModels; i++) {
                Standardizer.Estimate est = Standardizer.estimate(set, i, trainRows, standardizationRows,
                        standardizeSeed + i);
                params.model(i).setStandardization(est.mu(), est.sigma());
                if (biasInit.fromData()) {
                    float[] mean = est.standardisedColumnMeans();
                    System.arraycopy(mean, 0, params.model(i).inputBias(), 0, mean.length);
                }
            }
            state = new TrainingState(params, sourceRng, reinitRng);
        } else {
            TrainingCheckpoint c = resume.checkpoint();
            c.requireResumableBy(resume.file(), set.modelNames(), dims, identity, dataSeed);
            state = c.state();
            batches.seek(c.position());
            checkpoints.log().accept("Resuming from " + resume.file() + " at step " + c.globalStep() + " of " + c.totalSteps());
        }
        CheckpointSchedule checkpointer = null;
        if (checkpoints.folder() != null || checkpoints.stop() != null) {
            checkpointer = new CheckpointSchedule(checkpoints, checkpointEverySteps, checkpointEveryMinutes, checkpointKeep,
                    batches, new CheckpointSchedule.TrainingCheckpointMeta(settings.steps(), dataSeed, batchSize, trainRows,
                    recordedSettings, configXml(trainerProvenance), invocation, set.modelNames(), dims, dataFingerprint));
        }
        try (TrainingEngine trainingEngine = engine.fused()
                ? FusedStepEngines.create(engine, settings, dims, new FusedEngineOptions(ortChunkSteps, ortReducedPrecision))
                : new PerStepEngine(engine.create(), settings)) {
            new TrainingLoop(trainingEngine, settings, listeners, deadReinit).run(state, batches, checkpointer);
        }
        if (settings.architecture().sparsityBlock().inferenceThreshold()) {
            // the fused engines have no per-step engine; encoding is the same mathematics on the CPU engine
            InferenceThresholds.estimate(state.params(), set, trainRows, batchSize,
                    engine.fused() ? EngineKind.CPU.create() : engine.create());
        }
        ModelProvenance provenance = new ModelProvenance(UsaeModel.class.getName(), OffsetDateTime.now(),
                dataProvenance, trainerProvenance, runProvenance);
        return UsaeModel.create("usae-model", provenance, state.params());
    }

    /** The trainer's configuration for this run as OLCUT XML (recorded in checkpoints; informational there). */
    private static String configXml(TrainerProvenance provenance) {
        try {
            return TrainerConfigXml.of(provenance);
        } catch (RuntimeException e) {
            return provenance.toString();
        }
    }

    /** @param rows rows in the set. @return rows used for training (the first ones). */
    public long trainRows(long rows) {
        long train = rows - Math.round(rows * holdOutFraction);
        if (train < 2) {
            throw new IllegalArgumentException("The activation set has " + rows + " rows; after holding out "
                    + holdOutFraction + " fewer than 2 remain for training");
        }
        return train;
    }

    public double holdOutFraction() { return holdOutFraction; }
    public String recipe() { return recipe; }
    public EngineKind engineKind() { return engine; }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero.");
        }
        rng = new Rng64(seed);
        for (trainInvocationCounter = 0; trainInvocationCounter < invocationCount; trainInvocationCounter++) {
            rng.split();
        }
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "UsaeTrainer(recipe=" + recipe + ",k=" + k + ",numLatents=" + (numLatents > 0 ? numLatents : expansionFactor + "x")
                + ",encoder=" + encoder + ",sparsity=" + sparsity + ",loss=" + loss + ",aux=" + aux
                + ",sources=" + sources + ",updateRule=" + updateRule + ",learningRate=" + learningRate
                + ",batchSize=" + batchSize + ",steps=" + (steps > 0 ? steps : epochs + " epochs") + ",seed=" + seed + ")";
    }
}
