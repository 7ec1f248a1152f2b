package org.tribuo.usae.metrics.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Label purity (docs/metrics.md, "Labels", inferred from MonoLoss's "class purity"; SPARC's TMLR text was not
 * available): per latent of a stream, its activating labelled inputs (all with z &gt; 0, or the
 * {@code topN} with the largest codes), its dominant label (the label most of them carry; ties: lower
 * id), and purity = share of those inputs that carry it (multi-label: an input counts if it has the
 * label among others). Averaged per stream over latents, then over streams.
 */
public final class LabelPurity {
    /** How latents without an activating labelled input enter the mean. */
    public enum DeadLatents {
        /** Average over live latents only (default). */
        EXCLUDE,
        /** Average over all m latents, a dead latent counting purity 0. */
        COUNT_AS_ZERO
    }

    /**
     * @param topN 0 = every activating input; N &gt; 0 = the N inputs with the largest codes (ties: lower input id).
     * @param dead dead-latent handling.
     */
    public record Options(int topN, DeadLatents dead) {
        public Options {
            if (topN < 0) {
                throw new IllegalArgumentException("topN must be >= 0 (0 = all activating inputs), got " + topN);
            }
            if (dead == null) {
                throw new IllegalArgumentException("dead-latent handling must be EXCLUDE or COUNT_AS_ZERO, got null");
            }
        }

        /** @return all activating inputs, dead latents excluded. */
        public static Options defaults() {
            return new Options(0, DeadLatents.EXCLUDE);
        }
    }

    /** @param stream name. @param liveLatents latents with an activating labelled input. @param meanPurity the stream's mean. */
    public record StreamPurity(String stream, int liveLatents, double meanPurity) {
    }

    /** @param streams per stream. @param meanOverStreams mean of the stream means. @param options settings used. */
    public record Result(List<StreamPurity> streams, double meanOverStreams, Options options) {
    }

    private LabelPurity() {
    }

    /**
     * @param names   stream names.
     * @param streams per stream its per-input codes.
     * @param labels  labels of the input ids.
     * @param options settings.
     * @return purity per stream and over streams.
     */
    public static Result compute(List<String> names, List<InputCodes> streams, LabelTable labels, Options options) {
        LabelInputs.requireSameInputs(names, streams);
        List<StreamPurity> out = new ArrayList<>();
        for (int s = 0; s < streams.size(); s++) {
            out.add(stream(names.get(s), streams.get(s), labels, options));
        }
        double mean = out.stream().mapToDouble(StreamPurity::meanPurity).average().orElse(Double.NaN);
        return new Result(List.copyOf(out), mean, options);
    }

    static StreamPurity stream(String name, InputCodes codes, LabelTable labels, Options options) {
        InputCodes x = codes.restrict(LabelInputs.labelled(codes, labels));
        int[] count = new int[labels.numLabels()];
        double sum = 0;
        int live = 0;
        for (int l = 0; l < x.numLatents(); l++) {
            int[] members = members(x, l, options.topN());
            if (members.length == 0) {
                continue;
            }
            live++;
            Arrays.fill(count, 0);
            int dominant = 0;
            for (int r : members) {
                for (int c : labels.labelsOf(x.inputId(r))) {
                    count[c]++;
                    if (count[c] > count[dominant] || (count[c] == count[dominant] && c < dominant)) {
                        dominant = c;
                    }
                }
            }
            sum += (double) count[dominant] / members.length;
        }
        int denominator = options.dead() == DeadLatents.EXCLUDE ? live : x.numLatents();
        return new StreamPurity(name, live, denominator == 0 ? Double.NaN : sum / denominator);
    }

    /** @return input positions of the latent's activating inputs, or its top-N by code (ties: lower position). */
    private static int[] members(InputCodes x, int latent, int topN) {
        int from = x.colStart(latent);
        int n = x.colEnd(latent) - from;
        Integer[] q = new Integer[n];
        for (int i = 0; i < n; i++) {
            q[i] = from + i;
        }
        if (topN > 0 && topN < n) {
            // Column entries are in ascending input order, and the sort is stable: ties keep lower inputs first.
            Arrays.sort(q, (a, b) -> Float.compare(x.colValue(b), x.colValue(a)));
            q = Arrays.copyOf(q, topN);
        }
        int[] out = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = x.colInput(q[i]);
        }
        return out;
    }
}
