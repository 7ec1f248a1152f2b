package org.tribuo.usae.onnx.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java BERT (uncased) tokenizer: the basic tokenizer of HuggingFace's {@code BertNormalizer}
 * + {@code BertPreTokenizer} (clean text, spaces around CJK ideographs, accent stripping,
 * lower-casing, whitespace split, each punctuation character its own word) followed by greedy
 * longest-match-first WordPiece over the vocabulary of a {@code tokenizer.json}, and the
 * {@code [CLS] ... [SEP]} template. No padding, no truncation (callers choose a maximum length).
 *
 * <p>Written here rather than using Tribuo's {@code WordpieceTokenizer} so the token ids come
 * straight from the model's own vocabulary file and the normalisation follows HF's Rust code point
 * by point (surrogate pairs, control characters, Unicode punctuation).
 */
public final class BertTokenizer {
    private static final int MAX_CHARS_PER_WORD = 100;

    private final Map<String, Integer> vocab;
    private final String[] byId;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final String prefix;
    private final String vocabHash;

    /** One tokenized text: ids and tokens including {@code [CLS]} and {@code [SEP]}. */
    public record Encoding(long[] ids, String[] tokens) {
        /** @return tokens including [CLS]/[SEP]. */
        public int length() {
            return ids.length;
        }
    }

    BertTokenizer(Map<String, Integer> vocab, boolean lowercase, boolean stripAccents, String unk, String prefix) {
        this.vocab = Map.copyOf(vocab);
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.prefix = prefix;
        int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.byId = new String[max + 1];
        vocab.forEach((t, id) -> byId[id] = t);
        this.unkId = id(unk);
        this.clsId = id("[CLS]");
        this.sepId = id("[SEP]");
        this.padId = vocab.getOrDefault("[PAD]", 0);
        this.vocabHash = hash(byId);
    }

    private int id(String token) {
        Integer i = vocab.get(token);
        if (i == null) {
            throw new IllegalArgumentException("tokenizer vocabulary has no '" + token + "' entry");
        }
        return i;
    }

    /**
     * Reads a HuggingFace {@code tokenizer.json} with a WordPiece model and a BERT normalizer.
     * @param in the JSON (not closed).
     * @param source name used in error messages.
     * @return the tokenizer.
     */
    public static BertTokenizer fromJson(InputStream in, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read tokenizer JSON (" + e.getMessage() + ")", e);
        }
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(source + ": tokenizer model type is '" + model.path("type").asText()
                    + "', only WordPiece is supported");
        }
        JsonNode norm = root.path("normalizer");
        if (!"BertNormalizer".equals(norm.path("type").asText())) {
            throw new IllegalArgumentException(source + ": normalizer is '" + norm.path("type").asText()
                    + "', only BertNormalizer is supported");
        }
        boolean lower = norm.path("lowercase").asBoolean(true);
        JsonNode sa = norm.path("strip_accents");
        boolean strip = sa.isNull() || sa.isMissingNode() ? lower : sa.asBoolean();
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException(source + ": tokenizer has an empty vocabulary");
        }
        return new BertTokenizer(vocab, lower, strip, model.path("unk_token").asText("[UNK]"),
                model.path("continuing_subword_prefix").asText("##"));
    }

    /** @return vocabulary size. */
    public int vocabSize() {
        return vocab.size();
    }

    /** @return SHA-256 over the id-ordered vocabulary and the normalisation flags: equal hashes, equal tokenization. */
    public String vocabHash() {
        return vocabHash;
    }

    /** @return the padding id. */
    public int padId() {
        return padId;
    }

    /** @param id token id. @return its vocabulary string. */
    public String token(long id) {
        return byId[(int) id];
    }

    /**
     * @param text input.
     * @param maxLength maximum tokens including [CLS]/[SEP] (word pieces past it are dropped); 0 = no limit.
     * @return the encoding.
     */
    public Encoding encode(String text, int maxLength) {
        List<String> pieces = new ArrayList<>();
        for (String word : basicTokenize(text)) {
            wordpiece(word, pieces);
        }
        int n = pieces.size();
        if (maxLength > 0 && n > maxLength - 2) {
            n = Math.max(0, maxLength - 2);
        }
        long[] ids = new long[n + 2];
        String[] toks = new String[n + 2];
        ids[0] = clsId;
        toks[0] = "[CLS]";
        for (int i = 0; i < n; i++) {
            String p = pieces.get(i);
            Integer id = vocab.get(p);
            ids[i + 1] = id == null ? unkId : id;
            toks[i + 1] = id == null ? byId[unkId] : p;
        }
        ids[n + 1] = sepId;
        toks[n + 1] = "[SEP]";
        return new Encoding(ids, toks);
    }

    /** @param text input. @return the encoding, untruncated. */
    public Encoding encode(String text) {
        return encode(text, 0);
    }

    /** The basic tokenizer: normalised words and punctuation characters. */
    List<String> basicTokenize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (isCjk(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String s = sb.toString();
        if (stripAccents) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder t = new StringBuilder(s.length());
            s.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(t::appendCodePoint);
            s = t.toString();
        }
        if (lowercase) {
            s = lower(s);
        }
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (isWhitespace(cp)) {
                flush(cur, words);
            } else if (isPunctuation(cp)) {
                flush(cur, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                cur.appendCodePoint(cp);
            }
        });
        flush(cur, words);
        return words;
    }

    private static String lower(String s) {
        // Rust's char::to_lowercase per code point (no locale, no context rules except final sigma,
        // which Rust does not apply per char either)
        StringBuilder t = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == 0x130) { // 'İ' lower-cases to "i̇" in Rust as in Java's root locale
                t.append("i\u0307");
            } else {
                t.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return t.toString();
    }

    private static void flush(StringBuilder cur, List<String> words) {
        if (cur.length() > 0) {
            words.add(cur.toString());
            cur.setLength(0);
        }
    }

    private void wordpiece(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > MAX_CHARS_PER_WORD) {
            out.add(byId[unkId]);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int end = cps.length;
            String found = null;
            while (start < end) {
                String sub = new String(cps, start, end - start);
                if (start > 0) {
                    sub = prefix + sub;
                }
                if (vocab.containsKey(sub)) {
                    found = sub;
                    break;
                }
                end--;
            }
            if (found == null) {
                out.add(byId[unkId]);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    static boolean isWhitespace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        // Rust char::is_whitespace = Unicode White_Space
        return Character.getType(cp) == Character.SPACE_SEPARATOR || cp == 0x0B || cp == 0x0C || cp == 0x85
                || cp == 0x2028 || cp == 0x2029;
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        if (isWhitespace(cp)) {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                || t == Character.UNASSIGNED || t == Character.SURROGATE;
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private String hash(String[] tokens) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("lower=" + lowercase + ";strip=" + stripAccents + ";prefix=" + prefix + ";").getBytes(StandardCharsets.UTF_8));
            for (String t : tokens) {
                md.update((t == null ? "\u0000" : t).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
