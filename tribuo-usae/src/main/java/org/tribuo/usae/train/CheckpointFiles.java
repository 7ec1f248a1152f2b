package org.tribuo.usae.train;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import org.tribuo.usae.data.StreamPosition;
import org.tribuo.usae.model.ParameterProtos;
import org.tribuo.usae.protos.AdamWStateProto;
import org.tribuo.usae.protos.FloatTensorProto;
import org.tribuo.usae.protos.ModelTrainingStateProto;
import org.tribuo.usae.protos.RngStateProto;
import org.tribuo.usae.protos.TrainingCheckpointProto;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint file format and where checkpoints live.
 *
 * <p>A checkpoint file is an envelope around a {@link TrainingCheckpointProto} payload:
 * <pre>
 *   8 bytes  magic "USAECKPT"
 *   4 bytes  envelope version (big-endian int, currently 1)
 *   8 bytes  payload length in bytes (big-endian long)
 *  32 bytes  SHA-256 of the payload
 *   n bytes  payload (protobuf TrainingCheckpointProto, float32 tensors little-endian)
 * </pre>
 * A reader checks magic, version, length (the file must be exactly header + payload) and checksum
 * before parsing, so a truncated, padded or bit-flipped file is refused with a message naming it.
 * Files are named {@code ckpt-<12-digit step>.usaeckpt}; temp files of the atomic writer start with
 * a dot and end in {@code .tmp}, so they never match.
 */
public final class CheckpointFiles {
    /** The envelope's magic bytes. */
    static final byte[] MAGIC = "USAECKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Envelope version written and accepted. */
    public static final int ENVELOPE_VERSION = 1;
    /** TrainingCheckpointProto.format_version written (2: with the data fingerprint). */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format_version read (1: no data fingerprint; such checkpoints resume with a warning). */
    public static final int OLDEST_FORMAT_VERSION = 1;
    static final int HEADER = 8 + 4 + 8 + 32;
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})\\.usaeckpt");

    private CheckpointFiles() {
    }

    /** @param step global step. @return the checkpoint file name for it. */
    public static String fileName(long step) {
        return String.format("ckpt-%012d.usaeckpt", step);
    }

    /** @param file a path. @return true if its name is a checkpoint's. */
    public static boolean isCheckpointName(Path file) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    /**
     * @param folder a checkpoint folder.
     * @return its checkpoint files, newest (highest step) first; empty if the folder does not exist.
     */
    public static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> isCheckpointName(p) && Files.isRegularFile(p))
                    .sorted(Comparator.comparingLong(CheckpointFiles::stepOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list checkpoints in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** @param p a checkpoint file. @return the global step its name records. */
    public static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p + " is not a checkpoint file name");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * The checkpoint to resume from, whatever run wrote it: a file as given, or in a folder (an output
     * folder with a {@code checkpoints/} sub-folder, or a checkpoint folder) the newest valid
     * checkpoint. A newest checkpoint that fails validation is reported through {@code warn} and the
     * previous one is tried.
     *
     * @param fileOrFolder a checkpoint file or a folder.
     * @param warn receives a line for each invalid checkpoint skipped.
     * @return the checkpoint read, and its file.
     * @throws CheckpointException naming the file or folder when nothing valid is found.
     */
    public static Loaded resolve(Path fileOrFolder, Consumer<String> warn) {
        return resolve(fileOrFolder, null, warn);
    }

    /**
     * The checkpoint a run resumes from: a file as given, which must be of this run, or in a folder
     * the newest valid checkpoint of this run. Invalid checkpoints are skipped with a line through
     * {@code warn}, and so are checkpoints of other runs.
     *
     * @param fileOrFolder a checkpoint file, a checkpoint folder, or an output folder with {@code checkpoints/}.
     * @param run the resuming run's identity (null: any run's checkpoint).
     * @param warn receives a line for each checkpoint skipped, and for one that records no data fingerprint.
     * @return the checkpoint read, and its file.
     * @throws CheckpointException naming the file or folder, and both runs' identities when the only
     *     valid checkpoints are another run's.
     */
    public static Loaded resolve(Path fileOrFolder, RunIdentity run, Consumer<String> warn) {
        if (Files.isRegularFile(fileOrFolder)) {
            TrainingCheckpoint c = read(fileOrFolder);
            if (run != null && !run.continues(c.identity())) {
                throw otherRun(fileOrFolder, c.identity(), run);
            }
            return loaded(fileOrFolder, c, warn);
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new CheckpointException(fileOrFolder + ": no such checkpoint file or folder");
        }
        Path folder = folderOf(fileOrFolder);
        List<Path> files = list(folder);
        if (files.isEmpty()) {
            throw new CheckpointException(folder + ": no checkpoint files (ckpt-<step>.usaeckpt) to resume from");
        }
        List<String> errors = new ArrayList<>();
        Path foreignFile = null;
        TrainingCheckpoint foreign = null;
        for (Path f : files) {
            TrainingCheckpoint c;
            try {
                c = read(f);
            } catch (CheckpointException e) {
                errors.add(e.getMessage());
                warn.accept("Skipping invalid checkpoint: " + e.getMessage());
                continue;
            }
            if (run != null && !run.continues(c.identity())) {
                if (foreign == null) {
                    foreignFile = f;
                    foreign = c;
                }
                warn.accept("Skipping " + f + ": a checkpoint of another " + c.identity().describe());
                continue;
            }
            if (!errors.isEmpty() || foreign != null) {
                warn.accept("Resuming from the newest valid checkpoint of this run, " + f);
            }
            return loaded(f, c, warn);
        }
        if (foreign != null) {
            throw otherRun(foreignFile, foreign.identity(), run);
        }
        throw new CheckpointException(folder + ": no valid checkpoint; " + String.join("; ", errors));
    }

    /** @return the checkpoint folder a resume source names: its {@code checkpoints/} sub-folder if it has one. */
    private static Path folderOf(Path folder) {
        return Files.isDirectory(folder.resolve("checkpoints")) ? folder.resolve("checkpoints") : folder;
    }

    private static Loaded loaded(Path file, TrainingCheckpoint c, Consumer<String> warn) {
        if (c.identity().dataUnknown()) {
            warn.accept(file + " was written before checkpoints recorded their data (format 1): the data are not checked"
                    + " against it, only the models, widths and settings");
        }
        return new Loaded(file, c);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param file a checkpoint of another run.
     * @param theirs its run's identity.
     * @param ours the run that wanted it.
     * @return the error naming both identities and what differs.
     */
    static CheckpointException otherRun(Path file, RunIdentity theirs, RunIdentity ours) {
        return new CheckpointException(file + ": checkpoint of another run, " + theirs.describe() + "; this is "
                + ours.describe() + ": " + String.join(", ", theirs.differences(ours))
                + "; resume with the data and settings it was trained with, or train into another folder");
    }

    /**
     * Makes sure a run writes its checkpoints into a folder that holds no other run's: a new run
     * needs a folder without checkpoints, a resumed run one with only checkpoints of its own run
     * (unreadable ones are left to the pruning). With {@code overwrite} the others are deleted
     * instead, each with a line through {@code log}.
     *
     * @param folder      the checkpoint folder (need not exist).
     * @param run         the run's identity.
     * @param resumedFrom the checkpoint the run resumed from, already read and matched (so not read
     *                    again: checkpoints can be hundreds of MB); null for a new run.
     * @param overwrite   delete the conflicting checkpoints rather than refuse.
     * @param log         receives a line per checkpoint deleted.
     * @throws CheckpointException naming the folder, the newest conflicting checkpoint's run and what to do.
     */
    public static void claim(Path folder, RunIdentity run, Path resumedFrom, boolean overwrite, Consumer<String> log) {
        boolean resuming = resumedFrom != null;
        List<Path> conflicting = new ArrayList<>();
        TrainingCheckpoint newestConflict = null;
        for (Path f : list(folder)) {
            if (resuming && sameFile(f, resumedFrom)) {
                continue;
            }
            // a new run conflicts with every file and reads only enough to name their run; a resumed
            // run reads each to keep its own (unreadable ones are left to the pruning)
            if (!resuming && newestConflict != null) {
                conflicting.add(f);
                continue;
            }
            TrainingCheckpoint c;
            try {
                c = read(f);
            } catch (CheckpointException e) {
                if (!resuming) {
                    conflicting.add(f);
                }
                continue;
            }
            if (!resuming || !run.continues(c.identity())) {
                conflicting.add(f);
                newestConflict = newestConflict == null ? c : newestConflict;
            }
        }
        if (conflicting.isEmpty()) {
            return;
        }
        if (!overwrite) {
            String whose = newestConflict == null ? "unreadable checkpoints"
                    : run.continues(newestConflict.identity()) ? "checkpoints of this same run (newest step "
                    + stepOf(conflicting.get(0)) + "); continue it with --resume, or"
                    : "checkpoints of another " + newestConflict.identity().describe() + " ("
                    + String.join(", ", newestConflict.identity().differences(run)) + "); resume that run with its own data and settings, or";
            throw new CheckpointException(folder + " holds " + conflicting.size() + " " + whose
                    + " start over with --overwrite (deletes them), or choose another output folder");
        }
        for (Path f : conflicting) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new CheckpointException("Could not delete " + f + " for --overwrite: " + e.getMessage(), e);
            }
            log.accept("Deleted " + f + " (--overwrite)");
        }
    }

    /** A checkpoint and the file it came from. @param file the file. @param checkpoint its content. */
    public record Loaded(Path file, TrainingCheckpoint checkpoint) {
    }

    /**
     * @param file a checkpoint file.
     * @return its content.
     * @throws CheckpointException naming the file if it is missing, truncated, corrupt or of another version.
     */
    public static TrainingCheckpoint read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such checkpoint file");
        } catch (IOException e) {
            throw new CheckpointException(file + ": could not read checkpoint: " + e.getMessage(), e);
        }
        byte[] payload = open(file, bytes);
        TrainingCheckpointProto proto;
        try {
            proto = TrainingCheckpointProto.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new CheckpointException(file + ": checkpoint payload is not a valid protobuf message: " + e.getMessage(), e);
        }
        try {
            return fromProto(proto);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": invalid checkpoint: " + e.getMessage(), e);
        }
    }

    /** Validates the envelope and returns the payload. */
    static byte[] open(Path file, byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new CheckpointException(file + ": truncated checkpoint (" + bytes.length + " bytes, the header alone is "
                    + HEADER + ")");
        }
        if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new CheckpointException(file + ": not a USAE checkpoint (bad magic bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != ENVELOPE_VERSION) {
            throw new CheckpointException(file + ": checkpoint envelope version " + version + " is not supported (expected "
                    + ENVELOPE_VERSION + ")");
        }
        long length = b.getLong();
        if (length != bytes.length - HEADER) {
            throw new CheckpointException(file + ": truncated or padded checkpoint: header says " + length
                    + " payload bytes, file has " + (bytes.length - HEADER));
        }
        byte[] sum = new byte[32];
        b.get(sum);
        byte[] payload = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        if (!MessageDigest.isEqual(sum, sha256(payload))) {
            throw new CheckpointException(file + ": checkpoint checksum mismatch (SHA-256 of the payload differs); "
                    + "the file is corrupt");
        }
        return payload;
    }

    /** @param c a checkpoint. @return the file bytes (envelope + payload). */
    public static byte[] encode(TrainingCheckpoint c) {
        byte[] payload = toProto(c).toByteArray();
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(ENVELOPE_VERSION).putLong(payload.length).put(sha256(payload)).put(payload);
        return b.array();
    }

    static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    static TrainingCheckpointProto toProto(TrainingCheckpoint c) {
        TrainingState s = c.state();
        TrainingCheckpointProto.Builder b = TrainingCheckpointProto.newBuilder()
                .setFormatVersion(FORMAT_VERSION)
                .setGlobalStep(s.globalStep())
                .setTotalSteps(c.totalSteps())
                .setParameters(ParameterProtos.toProto(s.params()))
                .setSourceRng(rng(s.sourceRng()))
                .setReinitRng(rng(s.reinitRng()))
                .setDataSeed(c.dataSeed())
                .setDataEpoch(c.position().epoch())
                .setDataOffset(c.position().offset())
                .setBatchSize(c.batchSize())
                .setTrainRows(c.trainRows())
                .setSettings(c.settings())
                .setTrainerConfig(c.trainerConfig())
                .setInvocationCount(c.invocationCount())
                .setCreatedEpochMillis(c.createdMillis())
                .setDataFingerprint(c.dataFingerprint())
                .addAllModelNames(c.modelNames());
        for (int d : c.modelDims()) {
            b.addModelDims(d);
        }
        for (int i = 0; i < s.params().numModels(); i++) {
            ModelTrainingStateProto.Builder mb = ModelTrainingStateProto.newBuilder().setUpdates(s.modelUpdates()[i]);
            for (Map.Entry<String, AdamW> e : s.optimizer(i).entrySet()) {
                mb.addOptimizer(AdamWStateProto.newBuilder().setName(e.getKey())
                        .setFirstMoment(tensor(e.getValue().firstMoment()))
                        .setSecondMoment(tensor(e.getValue().secondMoment()))
                        .setSteps(e.getValue().steps()));
            }
            for (long v : s.stepsSinceFired()[i]) {
                mb.addStepsSinceFired(v);
            }
            b.addModels(mb);
        }
        return b.build();
    }

    static TrainingCheckpoint fromProto(TrainingCheckpointProto p) {
        if (p.getFormatVersion() < OLDEST_FORMAT_VERSION || p.getFormatVersion() > FORMAT_VERSION) {
            throw new IllegalArgumentException("checkpoint format version " + p.getFormatVersion()
                    + " is not supported (expected " + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION + ")");
        }
        if (p.getFormatVersion() >= 2 && !p.getDataFingerprint().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("checkpoint format version " + p.getFormatVersion()
                    + " needs a data fingerprint of 64 hex digits, found '" + p.getDataFingerprint() + "'");
        }
        if (!p.hasParameters() || !p.hasSourceRng() || !p.hasReinitRng()) {
            throw new IllegalArgumentException("checkpoint lacks parameters or random-stream state");
        }
        UsaeParameters params = ParameterProtos.fromProto(p.getParameters());
        int n = params.numModels();
        if (p.getModelsCount() != n || p.getModelNamesCount() != n || p.getModelDimsCount() != n) {
            throw new IllegalArgumentException("checkpoint has " + n + " models' parameters but "
                    + p.getModelsCount() + " training states, " + p.getModelNamesCount() + " names and "
                    + p.getModelDimsCount() + " widths");
        }
        List<Map<String, AdamW>> optimizers = new ArrayList<>();
        long[] updates = new long[n];
        long[][] counters = new long[n][];
        for (int i = 0; i < n; i++) {
            ModelTrainingStateProto mp = p.getModels(i);
            ModelParameters model = params.model(i);
            Map<String, AdamW> opt = new LinkedHashMap<>();
            for (AdamWStateProto a : mp.getOptimizerList()) {
                float[] param = model.trainable().get(a.getName());
                if (param == null || opt.containsKey(a.getName())) {
                    throw new IllegalArgumentException("model '" + model.name() + "' has unexpected or duplicate optimiser state '"
                            + a.getName() + "'");
                }
                if (a.getSteps() < 0) {
                    throw new IllegalArgumentException("model '" + model.name() + "' optimiser '" + a.getName()
                            + "' has negative step count");
                }
                opt.put(a.getName(), AdamW.of(floats(a.getFirstMoment(), param.length, model.name(), a.getName()),
                        floats(a.getSecondMoment(), param.length, model.name(), a.getName()), a.getSteps()));
            }
            optimizers.add(opt);
            updates[i] = mp.getUpdates();
            counters[i] = mp.getStepsSinceFiredList().stream().mapToLong(Long::longValue).toArray();
        }
        TrainingState state = TrainingState.restore(params, optimizers, updates, counters,
                Rng64.restore(p.getSourceRng().getSeed(), p.getSourceRng().getGamma()),
                Rng64.restore(p.getReinitRng().getSeed(), p.getReinitRng().getGamma()), p.getGlobalStep());
        if (p.getBatchSize() < 1 || p.getTrainRows() < 1 || p.getTotalSteps() < p.getGlobalStep()) {
            throw new IllegalArgumentException("checkpoint has batch size " + p.getBatchSize() + ", train rows "
                    + p.getTrainRows() + ", step " + p.getGlobalStep() + " of " + p.getTotalSteps());
        }
        int[] dims = p.getModelDimsList().stream().mapToInt(Integer::intValue).toArray();
        return new TrainingCheckpoint(state, p.getTotalSteps(), new StreamPosition(p.getDataEpoch(), p.getDataOffset()),
                p.getDataSeed(), p.getBatchSize(), p.getTrainRows(), p.getSettings(), p.getTrainerConfig(),
                p.getInvocationCount(), List.copyOf(p.getModelNamesList()), dims, p.getCreatedEpochMillis(),
                p.getDataFingerprint());
    }

    private static RngStateProto rng(Rng64 r) {
        return RngStateProto.newBuilder().setSeed(r.seed()).setGamma(r.gamma()).build();
    }

    private static FloatTensorProto tensor(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        return FloatTensorProto.newBuilder().addShape(v.length).setValues(UnsafeByteOperations.unsafeWrap(buf.array())).build();
    }

    private static float[] floats(FloatTensorProto t, int n, String model, String tensor) {
        ByteString bytes = t.getValues();
        if (bytes.size() != (long) n * Float.BYTES) {
            throw new IllegalArgumentException("model '" + model + "' optimiser moment of '" + tensor + "' has "
                    + bytes.size() + " bytes, expected " + (long) n * Float.BYTES);
        }
        float[] v = new float[n];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
