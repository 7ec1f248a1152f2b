package org.tribuo.usae.onnx.text;

import org.tribuo.usae.data.ActivationSetWriter;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.metrics.labels.InputLabelFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Token-level activations of several BERT-family encoders over the same texts, written as one
 * aligned activation set: tokenize once, run each encoder, drop [CLS], [SEP] and padding, and write
 * one row per real token for every model. Row {@code r} of every {@code <model>.npy} is the same
 * token; {@code row_index.npy} gives (input id, position) with position = the word-piece index
 * after [CLS] (0-based). {@code inputs.tsv} holds per input: id, label, token count, the word
 * pieces (space-separated) and the text.
 *
 * <p>The models must tokenize every text identically (same ids); otherwise the USAE's "same tokens"
 * condition does not hold and {@link #tokenizeAligned} refuses, naming the models and the first
 * differing input.
 */
public final class TextExtraction {
    /** File with the per-input labels and tokens, written next to the activation set. */
    public static final String INPUTS_FILE = "inputs.tsv";

    private TextExtraction() {
    }

    /**
     * @param texts    inputs (id = list index).
     * @param labels   per-input label (same size as texts), or null.
     * @param rows     real tokens written (all models).
     * @param tokens   per input its word pieces (without [CLS]/[SEP]).
     * @param seconds  wall time of the extraction.
     */
    public record Result(List<String> texts, List<String> labels, long rows, List<String[]> tokens, double seconds) {
    }

    /**
     * Tokenizes every text with every encoder's tokenizer and checks the ids agree.
     * @param encoders  the encoders (their tokenizers).
     * @param texts     the inputs.
     * @param maxLength maximum tokens per input including [CLS]/[SEP].
     * @return the shared encodings.
     * @throws IllegalArgumentException when two models tokenize an input differently.
     */
    public static List<BertTokenizer.Encoding> tokenizeAligned(List<TextEncoder> encoders, List<String> texts, int maxLength) {
        return tokenizeAligned(encoders.stream().map(e -> e.model().name()).toList(),
                encoders.stream().map(TextEncoder::tokenizer).toList(), texts, maxLength);
    }

    /**
     * @param names      model names (for the error message).
     * @param tokenizers their tokenizers.
     * @param texts      the inputs.
     * @param maxLength  maximum tokens per input including [CLS]/[SEP] (0 = none).
     * @return the shared encodings.
     * @throws IllegalArgumentException when two models tokenize an input differently.
     */
    public static List<BertTokenizer.Encoding> tokenizeAligned(List<String> names, List<BertTokenizer> tokenizers,
                                                               List<String> texts, int maxLength) {
        if (tokenizers.isEmpty() || names.size() != tokenizers.size()) {
            throw new IllegalArgumentException("need one name per tokenizer and at least one, got " + names);
        }
        BertTokenizer first = tokenizers.get(0);
        List<BertTokenizer.Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(first.encode(t, maxLength));
        }
        for (int m = 1; m < tokenizers.size(); m++) {
            BertTokenizer tk = tokenizers.get(m);
            if (tk == first) {
                continue;
            }
            for (int i = 0; i < texts.size(); i++) {
                BertTokenizer.Encoding e = tk.encode(texts.get(i), maxLength);
                if (!Arrays.equals(e.ids(), out.get(i).ids())) {
                    throw new IllegalArgumentException("models " + names.get(0) + " and " + names.get(m)
                            + " tokenize input " + i + " differently, so their tokens cannot be aligned: \""
                            + abbreviate(texts.get(i)) + "\" -> " + Arrays.toString(out.get(i).tokens())
                            + " vs " + Arrays.toString(e.tokens()) + (first.vocabHash().equals(tk.vocabHash()) ? ""
                            : " (their vocabularies differ)"));
                }
            }
        }
        return out;
    }

    /**
     * Extracts and writes the activation set.
     * @param encoders  the encoders; their model names become the file stems.
     * @param texts     inputs.
     * @param labels    per-input labels or null.
     * @param folder    empty or absent output folder.
     * @param batchSize inputs per ONNX Runtime call.
     * @param maxLength maximum tokens per input including [CLS]/[SEP].
     * @param progress  called with the number of inputs done after each batch (may be null).
     * @return what was written.
     */
    public static Result extract(List<TextEncoder> encoders, List<String> texts, List<String> labels, Path folder,
                                 int batchSize, int maxLength, IntConsumer progress) {
        long start = System.nanoTime();
        if (labels != null && labels.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.size() + " labels");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        List<BertTokenizer.Encoding> enc = tokenizeAligned(encoders, texts, maxLength);
        // batches of similar length waste less compute on padding; rows are still written in input order
        Integer[] order = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> enc.get(i).length()));
        int nm = encoders.size();
        float[][][] hidden = new float[nm][texts.size()][];
        int done = 0;
        for (int s = 0; s < order.length; s += batchSize) {
            int e = Math.min(order.length, s + batchSize);
            List<BertTokenizer.Encoding> batch = new ArrayList<>(e - s);
            for (int j = s; j < e; j++) {
                batch.add(enc.get(order[j]));
            }
            for (int m = 0; m < nm; m++) {
                float[][] h = encoders.get(m).hidden(batch);
                int d = encoders.get(m).width();
                for (int j = s; j < e; j++) {
                    float[] full = h[j - s];
                    int len = batch.get(j - s).length();
                    // drop [CLS] (position 0) and [SEP] (last)
                    hidden[m][order[j]] = Arrays.copyOfRange(full, d, (len - 1) * d);
                }
            }
            done += e - s;
            if (progress != null) {
                progress.accept(done);
            }
        }
        List<String> names = encoders.stream().map(x -> x.model().name()).toList();
        int[] dims = encoders.stream().mapToInt(TextEncoder::width).toArray();
        long rows = 0;
        List<String[]> tokens = new ArrayList<>(texts.size());
        ActivationSetWriter w = ActivationSetWriter.create(folder, names, dims, true);
        try {
            for (int i = 0; i < texts.size(); i++) {
                String[] tk = enc.get(i).tokens();
                int n = tk.length - 2;
                tokens.add(Arrays.copyOfRange(tk, 1, tk.length - 1));
                if (n == 0) {
                    continue;
                }
                float[][] blocks = new float[nm][];
                for (int m = 0; m < nm; m++) {
                    blocks[m] = hidden[m][i];
                    hidden[m][i] = null;
                }
                long[] ids = new long[n];
                long[] pos = new long[n];
                Arrays.fill(ids, i);
                for (int p = 0; p < n; p++) {
                    pos[p] = p;
                }
                w.append(blocks, n, ids, pos);
                rows += n;
            }
            w.close();
        } catch (RuntimeException ex) {
            w.abort();
            throw ex;
        }
        writeInputs(folder.resolve(INPUTS_FILE), texts, labels, tokens);
        if (labels != null) {
            writeLabels(folder, labels);
        }
        return new Result(List.copyOf(texts), labels == null ? null : List.copyOf(labels), rows, tokens,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The same per-input label files as image extraction: {@code labels.npy} (int64 ids, label names
     * sorted) and {@code label_names.txt} (line i = name of id i), so metrics read labels one way.
     */
    static void writeLabels(Path folder, List<String> labels) {
        List<String> names = labels.stream().map(TextExtraction::clean).distinct().sorted().toList();
        long[] ids = labels.stream().mapToLong(l -> Collections.binarySearch(names, clean(l))).toArray();
        InputLabelFile.write(folder, names, ids);
    }

    static void writeInputs(Path file, List<String> texts, List<String> labels, List<String[]> tokens) {
        StringBuilder sb = new StringBuilder("input_id\tlabel\tn_tokens\ttokens\ttext\n");
        for (int i = 0; i < texts.size(); i++) {
            sb.append(i).append('\t').append(labels == null ? "" : clean(labels.get(i))).append('\t')
                    .append(tokens.get(i).length).append('\t').append(clean(String.join(" ", tokens.get(i)))).append('\t')
                    .append(clean(texts.get(i))).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
