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

    /** What a finished job wrote. @param inputs inputs. @param rows rows. @param tokensPerInput tokens per input of the last batch. @param dims widths. */
    public record Summary(long inputs, long rows, int tokensPerInput, int[] dims) {
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
                tokens = write(w, grids, start, end - start, dims);
                if (progress != null) {
                    progress.onBatch(end, inputs.size(), w.rows());
                }
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
        return new Summary(inputs.size(), w.rows(), tokens, dims);
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

    private int write(ActivationSetWriter w, TokenGrid[] grids, int firstId, int n, int[] dims) {
        for (int i = 0; i < grids.length; i++) {
            if (grids[i].c() != dims[i]) {
                throw new BackboneException(members.get(i).name() + ": width changed from " + dims[i] + " to " + grids[i].c());
            }
        }
        int t = grids[0].tokens();
        int rows = n * t;
        float[][] blocks = new float[grids.length][];
        for (int i = 0; i < grids.length; i++) {
            blocks[i] = grids[i].data(); // [n, h, w, c] row-major = [n*t, c]
        }
        long[] ids = new long[rows];
        long[] pos = new long[rows];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < t; p++) {
                ids[b * t + p] = firstId + b;
                pos[b * t + p] = p;
            }
        }
        w.append(blocks, rows, ids, pos);
        return t;
    }
}
