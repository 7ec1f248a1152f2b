package org.tribuo.usae.onnx.extract;

import ai.onnxruntime.OnnxTensor;
import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.data.NpyWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs several backbones on the same inputs, batch by batch, and streams an aligned activation set
 * to disk: one {@code <name>.npy} per model, {@code row_index.npy} (input id, token position) and,
 * when the inputs carry labels, {@code labels.npy} (int64 {@code [inputs x 1]}, row = input id; see
 * {@link InputLabels}).
 *
 * <p>Row {@code r} of every model is the same (input, token position): token position
 * {@code p = y*w + x} of the grid each model's {@link TokenPolicy} produces. Every model must give the
 * same number of tokens per input after its policy, otherwise the job fails naming both models.
 * On any failure everything written is deleted (no partial set).
 *
 * <p>A {@link TokenSelection} may leave token positions out (e.g. background cells, see
 * {@link ForegroundCoverage}): a left-out position is written for no model, so row {@code r} stays the
 * same (input, position) in every model, and {@code row_index.npy} keeps the positions of the written
 * rows, so they still place each token on the grid. An input may then have fewer rows than grid cells,
 * or none.
 *
 * @param <T> the input type.
 */
public final class ExtractionJob<T> {
    /**
     * One model of the job.
     *
     * @param name     the activation set's model name (file stem).
     * @param backbone the backbone; its first tap is extracted unless {@code tap} names another.
     * @param tap      the tapped tensor to extract (one of {@code backbone.taps()}).
     * @param policy   how that tensor becomes tokens.
     * @param feeder   how inputs become the backbone's tensors.
     * @param <T>      the input type.
     */
    public record Member<T>(String name, Backbone backbone, String tap, TokenPolicy policy, Feeder<T> feeder) {
        /** Checks the tap. */
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(backbone, "backbone");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(feeder, "feeder");
            if (tap == null) {
                tap = backbone.taps().get(0);
            }
            if (!backbone.taps().contains(tap)) {
                throw new IllegalArgumentException(name + ": tap '" + tap + "' is not one of " + backbone.label() + "'s taps " + backbone.taps());
            }
        }
    }

    /** Progress callback, called after each batch. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param inputsDone  inputs processed so far.
         * @param inputsTotal all inputs.
         * @param rows        rows written so far.
         */
        void onBatch(long inputsDone, long inputsTotal, long rows);
    }

    /**
     * Which token positions of an input are written.
     *
     * @param <T> the input type.
     */
    @FunctionalInterface
    public interface TokenSelection<T> {
        /**
         * @param inputId the input's id.
         * @param input   the input.
         * @param gridH   token grid rows after the token policies.
         * @param gridW   token grid columns.
         * @return per token position {@code y*gridW + x}, whether to write it, {@code [gridH*gridW]}.
         */
        boolean[] keep(long inputId, T input, int gridH, int gridW);
    }

    /**
     * What a finished job wrote.
     *
     * @param inputs         inputs.
     * @param rows           rows written.
     * @param tokensPerInput token positions per input (grid cells) of the last batch.
     * @param dims           widths.
     * @param droppedTokens  token positions a {@link TokenSelection} left out (0 without one).
     * @param emptyInputs    inputs left with no rows at all.
     */
    public record Summary(long inputs, long rows, int tokensPerInput, int[] dims, long droppedTokens, long emptyInputs) {
    }

    private final List<Member<T>> members;
    private final int batchSize;

    /**
     * @param members   the models, at least one, distinct names.
     * @param batchSize inputs per run.
     */
    public ExtractionJob(List<Member<T>> members, int batchSize) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("extraction needs at least one model");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Member<T> m : members) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("duplicate model name '" + m.name() + "'");
            }
            if (m.name().equals(InputLabels.STEM)) {
                throw new IllegalArgumentException("model name '" + InputLabels.STEM + "' is reserved for " + InputLabels.FILE);
            }
        }
        this.members = List.copyOf(members);
        this.batchSize = batchSize;
    }

    /**
     * Runs the job.
     *
     * @param inputs   the inputs; input id = index in this list.
     * @param labels   per-input labels ({@code inputs.size()} long) or null.
     * @param folder   empty or absent output folder.
     * @param progress callback, may be null.
     * @return what was written.
     */
    public Summary run(List<T> inputs, long[] labels, Path folder, Progress progress) {
        return run(inputs, labels, null, folder, progress);
    }

    /**
     * Runs the job, writing only the token positions {@code selection} keeps.
     *
     * @param inputs    the inputs; input id = index in this list.
     * @param labels    per-input labels ({@code inputs.size()} long) or null.
     * @param selection which positions to write, or null for all.
     * @param folder    empty or absent output folder.
     * @param progress  callback, may be null.
     * @return what was written.
     * @throws IllegalArgumentException when the selection keeps no token of any input (nothing to write).
     */
    public Summary run(List<T> inputs, long[] labels, TokenSelection<T> selection, Path folder, Progress progress) {
        if (labels != null && labels.length != inputs.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + inputs.size() + " inputs");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to extract");
        }
        int m = members.size();
        // The first batch fixes the widths (needed to create the writer).
        List<T> first = inputs.subList(0, Math.min(batchSize, inputs.size()));
        TokenGrid[] grids = runBatch(first);
        int[] dims = new int[m];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            dims[i] = grids[i].c();
            names.add(members.get(i).name());
        }
        ActivationSetWriter w = ActivationSetWriter.create(folder, names, dims, true);
        NpyWriter lw = null;
        int tokens = 0;
        long[] dropped = new long[2]; // dropped tokens, empty inputs
        try {
            if (labels != null) {
                lw = NpyWriter.int64(folder.toAbsolutePath().normalize().resolve(InputLabels.FILE), 1);
                lw.writeRows(labels, 0, labels.length);
            }
            for (int start = 0; start < inputs.size(); start += batchSize) {
                int end = Math.min(start + batchSize, inputs.size());
                if (start > 0) {
                    grids = runBatch(inputs.subList(start, end));
                }
                tokens = write(w, grids, inputs.subList(start, end), start, selection, dims, dropped);
                if (progress != null) {
                    progress.onBatch(end, inputs.size(), w.rows());
                }
            }
            if (w.rows() == 0) {
                throw new IllegalArgumentException("the token selection kept no token of any of the " + inputs.size()
                        + " inputs: nothing to write");
            }
            if (lw != null) {
                lw.close();
            }
            w.close();
        } catch (RuntimeException e) {
            if (lw != null) {
                lw.abort();
                try {
                    Files.deleteIfExists(folder.toAbsolutePath().normalize().resolve(InputLabels.FILE));
                } catch (IOException ignored) {
                    // best effort
                }
            }
            w.abort();
            throw e;
        }
        return new Summary(inputs.size(), w.rows(), tokens, dims, dropped[0], dropped[1]);
    }

    /**
     * Runs every model on one batch of inputs (also what distributed extraction calls per batch).
     *
     * @param batch the inputs.
     * @return per model, its token grid; row {@code b * tokens + p} of each grid's data is input b, token p.
     * @throws BackboneException when the models disagree on tokens per input, naming both.
     */
    public TokenGrid[] runBatch(List<T> batch) {
        TokenGrid[] grids = new TokenGrid[members.size()];
        for (int i = 0; i < members.size(); i++) {
            Member<T> mem = members.get(i);
            Map<String, OnnxTensor> feed = mem.feeder().feed(mem.backbone(), batch);
            try {
                Activation a = mem.backbone().run(feed).get(mem.tap());
                TokenGrid g = mem.policy().apply(a);
                if (g.batch() != batch.size()) {
                    throw new BackboneException(mem.name() + ": tap '" + mem.tap() + "' has batch " + g.batch()
                            + " for " + batch.size() + " inputs; the token policy expects the batch on axis 0");
                }
                grids[i] = g;
            } finally {
                for (OnnxTensor t : feed.values()) {
                    t.close();
                }
            }
            if (grids[i].tokens() != grids[0].tokens()) {
                throw new BackboneException("models disagree on tokens per input after their token policies: '"
                        + members.get(0).name() + "' gives " + grids[0].h() + "x" + grids[0].w() + " = " + grids[0].tokens()
                        + " (" + members.get(0).policy() + "), '" + mem.name() + "' gives " + grids[i].h() + "x" + grids[i].w()
                        + " = " + grids[i].tokens() + " (" + mem.policy() + "). Resize the grids to a common size.");
            }
        }
        return grids;
    }

    /** @return the models, in set order. */
    public List<Member<T>> members() {
        return members;
    }

    /** @return inputs per run. */
    public int batchSize() {
        return batchSize;
    }

    private int write(ActivationSetWriter w, TokenGrid[] grids, List<T> batch, int firstId, TokenSelection<T> selection,
                      int[] dims, long[] dropped) {
        int n = batch.size();
        for (int i = 0; i < grids.length; i++) {
            if (grids[i].c() != dims[i]) {
                throw new BackboneException(members.get(i).name() + ": width changed from " + dims[i] + " to " + grids[i].c());
            }
        }
        int t = grids[0].tokens();
        boolean[][] keep = new boolean[n][];
        int rows = 0;
        for (int b = 0; b < n; b++) {
            if (selection == null) {
                keep[b] = null;
                rows += t;
                continue;
            }
            keep[b] = selection.keep(firstId + b, batch.get(b), grids[0].h(), grids[0].w());
            if (keep[b] == null || keep[b].length != t) {
                throw new IllegalStateException("token selection gave " + (keep[b] == null ? "null" : keep[b].length + " flags")
                        + " for input " + (firstId + b) + ", expected " + t + " (" + grids[0].h() + "x" + grids[0].w() + ")");
            }
            int kept = 0;
            for (boolean k : keep[b]) {
                kept += k ? 1 : 0;
            }
            rows += kept;
            dropped[0] += t - kept;
            dropped[1] += kept == 0 ? 1 : 0;
        }
        float[][] blocks = new float[grids.length][];
        for (int i = 0; i < grids.length; i++) {
            float[] all = grids[i].data(); // [n, h, w, c] row-major = [n*t, c]
            if (rows == n * t) {
                blocks[i] = all;
                continue;
            }
            int c = grids[i].c();
            blocks[i] = new float[rows * c];
            int r = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < t; p++) {
                    if (keep[b] == null || keep[b][p]) {
                        System.arraycopy(all, (b * t + p) * c, blocks[i], r++ * c, c);
                    }
                }
            }
        }
        long[] ids = new long[rows];
        long[] pos = new long[rows];
        int r = 0;
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < t; p++) {
                if (keep[b] == null || keep[b][p]) {
                    ids[r] = firstId + b;
                    pos[r++] = p;
                }
            }
        }
        if (rows == 0) {
            return t;
        }
        w.append(blocks, rows, ids, pos);
        return t;
    }
}
