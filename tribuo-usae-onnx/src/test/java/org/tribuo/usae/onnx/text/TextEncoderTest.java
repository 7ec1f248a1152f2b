package org.tribuo.usae.onnx.text;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.NpyActivationSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real quantized encoders (MiniLM-q, BGE-q) on a handful of sentences. */
class TextEncoderTest {
    private static TextEncoder minilm;
    private static TextEncoder bge;

    @BeforeAll
    static void open() {
        minilm = TextEncoder.open(TextModel.MINILM_Q, -1, 2);
        bge = TextEncoder.open(TextModel.BGE_Q, 5, 2);
    }

    @AfterAll
    static void close() {
        minilm.close();
        bge.close();
    }

    private static float[] meanPooled(TextEncoder enc, String text) {
        BertTokenizer.Encoding e = enc.tokenizer().encode(text);
        float[] h = enc.hidden(List.of(e))[0];
        int d = enc.width();
        float[] m = new float[d];
        for (int t = 0; t < e.length(); t++) {
            for (int j = 0; j < d; j++) {
                m[j] += h[t * d + j] / e.length();
            }
        }
        return m;
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void shapesPaddingAndDeterminism() {
        BertTokenizer tk = minilm.tokenizer();
        BertTokenizer.Encoding a = tk.encode("A cat sat on the mat.");
        BertTokenizer.Encoding b = tk.encode("Dogs bark.");
        float[][] batch = minilm.hidden(List.of(a, b));
        assertEquals(9 * 384, batch[0].length);
        assertEquals(5 * 384, batch[1].length);
        for (float v : batch[0]) {
            assertTrue(Float.isFinite(v));
        }
        // same input again: bit-identical
        assertArrayEquals(batch[0], minilm.hidden(List.of(a, b))[0]);
        // The quantized graphs quantize activations with ONE scale per tensor (DynamicQuantizeLinear),
        // so a token's activations depend on its batch mates, padding included: this is why
        // TextExtraction runs one input per call by default. Document the effect, so a change shows.
        float[] alone = minilm.hidden(List.of(b))[0];
        double maxDiff = 0;
        for (int i = 0; i < alone.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(alone[i] - batch[1][i]));
        }
        assertTrue(maxDiff > 1e-3, "batch mates no longer matter (" + maxDiff + "): batching could be enabled");
        assertArrayEquals(alone, minilm.hidden(List.of(b))[0]);
        // a tapped middle layer has the same shape
        assertEquals(9 * 384, bge.hidden(List.of(a))[0].length);
    }

    @Test
    void knownSimilarity() {
        float[] dog = meanPooled(minilm, "a dog");
        double puppy = cos(dog, meanPooled(minilm, "a puppy"));
        double sheet = cos(dog, meanPooled(minilm, "a spreadsheet"));
        assertTrue(puppy > sheet + 0.1, "cos(dog, puppy) = " + puppy + ", cos(dog, spreadsheet) = " + sheet);
    }

    @Test
    void alignedExtraction(@TempDir Path dir) throws Exception {
        List<String> texts = List.of("A cat sat on the mat.", "Photosynthesis converts light into chemical energy.", "");
        Path out = dir.resolve("acts");
        TextExtraction.Result r = TextExtraction.extract(List.of(minilm, bge), texts, List.of("x", "y", "z"), out, 1, 128, null);
        // 7 + 8 word pieces ("photosynthesis" is several), empty input none
        long expected = r.tokens().stream().mapToLong(t -> t.length).sum();
        assertEquals(7, r.tokens().get(0).length);
        assertEquals(0, r.tokens().get(2).length);
        assertEquals(expected, r.rows());
        try (ActivationSet set = NpyActivationSet.open(out)) {
            assertEquals(List.of("minilm", "bge"), set.modelNames());
            assertEquals(expected, set.rows());
            assertEquals(1, set.rowIndex().orElseThrow().inputId(7));
            assertEquals(0, set.rowIndex().orElseThrow().position(7));
            // row 0 of minilm = the hidden state of "a" (position 1 of the batched run)
            float[] h = minilm.hidden(List.of(minilm.tokenizer().encode(texts.get(0))))[0];
            float[] row = new float[384];
            set.readRows(0, new long[]{0}, row);
            for (int j = 0; j < 384; j++) {
                assertEquals(h[384 + j], row[j], 1e-3);
            }
        }
        assertArrayEquals(new long[]{0, 1, 2}, org.tribuo.usae.onnx.extract.InputLabels.read(out).orElseThrow());
        assertEquals(List.of("x", "y", "z"), Files.readAllLines(out.resolve("label_names.txt")));
        List<String> lines = Files.readAllLines(out.resolve(TextExtraction.INPUTS_FILE));
        assertEquals("0\tx\t7\ta cat sat on the mat .\tA cat sat on the mat.", lines.get(1));
    }

    @Test
    void refusesDifferentTokenizations() {
        // a tokenizer with a different vocabulary standing in for a non-BERT model
        String json = "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{\"[PAD]\":0,\"[UNK]\":1,"
                + "\"[CLS]\":2,\"[SEP]\":3,\"a\":4}},\"normalizer\":{\"type\":\"BertNormalizer\"}}";
        BertTokenizer other = BertTokenizer.fromJson(new java.io.ByteArrayInputStream(json.getBytes()), "other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextExtraction.tokenizeAligned(List.of("minilm", "other"), List.of(minilm.tokenizer(), other),
                        List.of("a", "a cat"), 0));
        assertTrue(e.getMessage().startsWith("models minilm and other tokenize input 0 differently"), e.getMessage());
        assertTrue(e.getMessage().contains("vocabularies differ"), e.getMessage());
    }
}
