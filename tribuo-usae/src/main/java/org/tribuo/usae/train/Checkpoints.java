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
public final class Checkpoints {
    /** The envelope's magic bytes. */
    static final byte[] MAGIC = "USAECKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Envelope version written and accepted. */
    public static final int ENVELOPE_VERSION = 1;
    /** TrainingCheckpointProto.format_version written and accepted. */
    public static final int FORMAT_VERSION = 1;
    static final int HEADER = 8 + 4 + 8 + 32;
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})\\.usaeckpt");

    private Checkpoints() {
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
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list checkpoints in " + folder + ": " + e.getMessage(), e);
        }
    }

    static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p + " is not a checkpoint file name");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * The checkpoint to resume from: a file as given, or in a folder (an output folder with a
     * {@code checkpoints/} sub-folder, or a checkpoint folder) the newest valid checkpoint. A newest
     * checkpoint that fails validation is reported through {@code warn} and the previous one is tried.
     *
     * @param fileOrFolder a checkpoint file or a folder.
     * @param warn receives a line for each invalid checkpoint skipped.
     * @return the checkpoint read, and its file.
     * @throws CheckpointException naming the file or folder when nothing valid is found.
     */
    public static Loaded resolve(Path fileOrFolder, Consumer<String> warn) {
        if (Files.isRegularFile(fileOrFolder)) {
            return new Loaded(fileOrFolder, read(fileOrFolder));
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new CheckpointException(fileOrFolder + ": no such checkpoint file or folder");
        }
        Path folder = Files.isDirectory(fileOrFolder.resolve("checkpoints")) ? fileOrFolder.resolve("checkpoints") : fileOrFolder;
        List<Path> files = list(folder);
        if (files.isEmpty()) {
            throw new CheckpointException(folder + ": no checkpoint files (ckpt-<step>.usaeckpt) to resume from");
        }
        List<String> errors = new ArrayList<>();
        for (Path f : files) {
            try {
                TrainingCheckpoint c = read(f);
                if (!errors.isEmpty()) {
                    warn.accept("Resuming from the previous valid checkpoint " + f);
                }
                return new Loaded(f, c);
            } catch (CheckpointException e) {
                errors.add(e.getMessage());
                warn.accept("Skipping invalid checkpoint: " + e.getMessage());
            }
        }
        throw new CheckpointException(folder + ": no valid checkpoint; " + String.join("; ", errors));
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
        if (p.getFormatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("checkpoint format version " + p.getFormatVersion()
                    + " is not supported (expected " + FORMAT_VERSION + ")");
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
                p.getInvocationCount(), List.copyOf(p.getModelNamesList()), dims, p.getCreatedEpochMillis());
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
