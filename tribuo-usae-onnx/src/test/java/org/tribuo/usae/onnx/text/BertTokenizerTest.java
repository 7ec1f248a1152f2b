package org.tribuo.usae.onnx.text;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BertTokenizerTest {
    private static BertTokenizer tk;

    @BeforeAll
    static void load() {
        tk = TextModel.MINILM_Q.tokenizer();
    }

    private static String[] toks(String s) {
        String[] t = tk.encode(s).tokens();
        return java.util.Arrays.copyOfRange(t, 1, t.length - 1);
    }

    @Test
    void vocabulary() {
        assertEquals(30522, tk.vocabSize());
        assertEquals(0, tk.padId());
        assertEquals("[CLS]", tk.token(101));
        assertEquals("[SEP]", tk.token(102));
    }

    @Test
    void knownIds() {
        // bert-base-uncased ids (well known; the same sentence as in docs/real-models-and-data.md)
        assertArrayEquals(new long[]{101, 1037, 4937, 2938, 2006, 1996, 13523, 1012, 102}, tk.encode("A cat sat on the mat.").ids());
        assertArrayEquals(new long[]{101, 7592, 1010, 2088, 999, 102}, tk.encode("Hello, world!").ids());
        // the classic WordPiece example from the BERT paper's code
        assertArrayEquals(new String[]{"una", "##ffa", "##ble"}, toks("unaffable"));
    }

    @Test
    void basicTokenizerRules() {
        // accents stripped, lower-cased
        assertArrayEquals(new String[]{"cafe", "naive"}, toks("Café  NAÏVE"));
        // every punctuation character is its own word, also non-ASCII punctuation
        assertArrayEquals(new String[]{"don", "'", "t", "—", "stop", "!", "!"}, toks("don't—stop!!"));
        assertArrayEquals(new String[]{"$", "5", ".", "00"}, toks("$5.00"));
        // CJK ideographs split one per token; control characters dropped; tabs/newlines are spaces
        assertArrayEquals(new String[]{"中", "国"}, toks("中国"));
        assertArrayEquals(new String[]{"a", "b"}, toks("a\u0000\u200b\tb\n"));
        // empty and whitespace-only input: just [CLS] [SEP]
        assertArrayEquals(new long[]{101, 102}, tk.encode("").ids());
        assertArrayEquals(new long[]{101, 102}, tk.encode(" \t\n").ids());
        // a word with no WordPiece segmentation, and an over-long word, are one [UNK]
        assertArrayEquals(new String[]{"[UNK]"}, toks("\u2603\u2603"));
        assertArrayEquals(new String[]{"[UNK]"}, toks("a".repeat(101)));
    }

    @Test
    void truncation() {
        BertTokenizer.Encoding e = tk.encode("one two three four five", 4);
        assertArrayEquals(new String[]{"[CLS]", "one", "two", "[SEP]"}, e.tokens());
    }

    @Test
    void allThreeModelsShareTheVocabulary() {
        String h = tk.vocabHash();
        assertEquals(h, TextModel.BGE_Q.tokenizer().vocabHash());
        // E5 is not a test dependency (size); its tokenizer.json is identical per the survey
    }

    @Test
    void rejectsNonWordPiece() {
        String json = "{\"model\":{\"type\":\"BPE\",\"vocab\":{}},\"normalizer\":{\"type\":\"BertNormalizer\"}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertTokenizer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "x.json"));
        assertEquals("x.json: tokenizer model type is 'BPE', only WordPiece is supported", e.getMessage());
    }

    @Test
    void smallVocabulary() {
        String json = "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
                + "\"vocab\":{\"[PAD]\":0,\"[UNK]\":1,\"[CLS]\":2,\"[SEP]\":3,\"play\":4,\"##ing\":5,\"##s\":6,\"p\":7}},"
                + "\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":true,\"strip_accents\":null}}";
        BertTokenizer t = BertTokenizer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "small");
        assertArrayEquals(new long[]{2, 4, 5, 4, 6, 1, 3}, t.encode("Playing PLAYS pz").ids());
        assertEquals(List.of("playing", ",", "plays"), t.basicTokenize("Playing,plays"));
    }
}
