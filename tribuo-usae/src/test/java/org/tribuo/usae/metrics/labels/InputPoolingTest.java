package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InputPoolingTest {
    /*
     * Input 7 has two tokens: token codes {latent 1: 0.5, latent 3: 2.0} and {latent 1: 1.5, latent 0: 0 (zero slot)};
     * input 2 has one token {latent 3: 1.0, latent 0: 4.0}.
     * MAX:  input 2 -> {0: 4.0, 3: 1.0}; input 7 -> {1: 1.5, 3: 2.0}; the zero slot is no firing.
     * MEAN: input 2 -> same (one token); input 7 -> {1: (0.5 + 1.5)/2 = 1.0, 3: 2.0/2 = 1.0}.
     */
    @Test
    void handMadeMaxAndMean() {
        long[] ids = {2, 7};
        int[] tokens = {1, 2};
        SparseCodes codes = new SparseCodes(3, 2, new float[]{0.5f, 2f, 1.5f, 0f, 1f, 4f}, new int[]{1, 3, 1, 0, 3, 0});
        int[] inputOfRow = {1, 1, 0};
        PooledCodesAccumulator max = new PooledCodesAccumulator(ids, tokens, 4, Pooling.MAX);
        max.add(codes, inputOfRow);
        InputCodes m = max.build();
        assertArrayEquals(new float[]{4f, 0f, 0f, 1f, 0f, 1.5f, 0f, 2f}, dense(m));
        PooledCodesAccumulator mean = new PooledCodesAccumulator(ids, tokens, 4, Pooling.MEAN);
        mean.add(codes, inputOfRow);
        assertArrayEquals(new float[]{4f, 0f, 0f, 1f, 0f, 1f, 0f, 1f}, dense(mean.build()));
        assertEquals(4, m.activeEntries());
        assertEquals(7, m.inputId(1));
        // column view: latent 3 fires on input positions 0 (1.0) and 1 (2.0)
        assertEquals(2, m.colEnd(3) - m.colStart(3));
        assertEquals(1, m.colInput(m.colStart(3) + 1));
        assertEquals(2f, m.colValue(m.colStart(3) + 1));
    }

    /** Enough entries (300k) to force several buffer compactions, inputs interleaved; brute force agrees. */
    @Test
    void compactionMatchesBruteForce() {
        int inputs = 3000;
        int m = 50;
        int k = 3;
        long[] ids = new long[inputs];
        for (int i = 0; i < inputs; i++) {
            ids[i] = 10L * i;
        }
        Random rng = new Random(4);
        int rows = 100_000;
        int[] inputOfRow = new int[rows];
        int[] tokens = new int[inputs];
        for (int r = 0; r < rows; r++) {
            inputOfRow[r] = rng.nextInt(inputs);
            tokens[inputOfRow[r]]++;
        }
        float[] v = new float[rows * k];
        int[] idx = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            int base = rng.nextInt(m);
            for (int j = 0; j < k; j++) {
                idx[r * k + j] = (base + j) % m; // distinct within a row, as SparseCodes requires
                v[r * k + j] = rng.nextInt(5) == 0 ? 0f : rng.nextFloat(); // some zero slots
            }
        }
        for (Pooling pooling : Pooling.values()) {
            double[] expect = new double[inputs * m];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    int q = inputOfRow[r] * m + idx[r * k + j];
                    float x = v[r * k + j];
                    expect[q] = pooling == Pooling.MAX ? Math.max(expect[q], x) : expect[q] + x;
                }
            }
            PooledCodesAccumulator acc = new PooledCodesAccumulator(ids, tokens, m, pooling);
            for (int start = 0; start < rows; start += 4096) { // batches, as InputPooling feeds it
                int n = Math.min(4096, rows - start);
                acc.add(new SparseCodes(n, k, java.util.Arrays.copyOfRange(v, start * k, (start + n) * k),
                        java.util.Arrays.copyOfRange(idx, start * k, (start + n) * k)),
                        java.util.Arrays.copyOfRange(inputOfRow, start, start + n));
            }
            float[] got = dense(acc.build());
            for (int i = 0; i < inputs; i++) {
                for (int l = 0; l < m; l++) {
                    double e = pooling == Pooling.MEAN ? expect[i * m + l] / tokens[i] : expect[i * m + l];
                    assertEquals(e, got[i * m + l], 1e-5, pooling + " input " + i + " latent " + l);
                }
            }
        }
    }

    /** The model path: pooled codes equal encoding each token alone and pooling densely by hand. */
    @Test
    void poolingAModelsCodesMatchesRowByRowEncoding() {
        UsaeModel model = PlantedLabels.train();
        InMemoryActivationSet set = PlantedLabels.set();
        int rows = 200;
        int m = model.parameters().architecture().numLatents();
        boolean joint = model.parameters().architecture().sparsity() == SparsityKind.GLOBAL_TOPK;
        for (Pooling pooling : Pooling.values()) {
            InputCodes[] pooled = InputPooling.pool(model, set, 0, rows, 64, pooling);
            for (int s = 0; s < 3; s++) {
                assertEquals(rows / 2, pooled[s].inputs());
                double[] expect = new double[rows / 2 * m];
                for (int r = 0; r < rows; r++) {
                    float[][] raw = new float[3][];
                    for (int i = 0; i < 3; i++) {
                        raw[i] = PlantedLabels.DATA.row(i, r);
                    }
                    SparseCodes c = joint ? model.encodeJoint(raw, 1)[s] : model.encode(s, raw[s], 1);
                    for (int j = 0; j < c.k(); j++) {
                        float x = Math.max(0f, c.values()[j]);
                        int q = (r / 2) * m + c.indices()[j];
                        expect[q] = pooling == Pooling.MAX ? Math.max(expect[q], x) : expect[q] + x / 2;
                    }
                }
                float[] got = dense(pooled[s]);
                for (int q = 0; q < expect.length; q++) {
                    assertEquals(expect[q], got[q], 1e-5, pooling + " stream " + s + " entry " + q);
                }
            }
        }
        assertEquals(List.of("a", "b", "c"), model.modelNames());
    }

    private static float[] dense(InputCodes c) {
        float[] out = new float[c.inputs() * c.numLatents()];
        for (int r = 0; r < c.inputs(); r++) {
            for (int p = c.rowStart(r); p < c.rowEnd(r); p++) {
                out[r * c.numLatents() + c.rowLatent(p)] = c.rowValue(p);
            }
            for (int l = 0; l < c.numLatents(); l++) {
                assertEquals(out[r * c.numLatents() + l], c.value(r, l), 0.0, "row and point access agree");
            }
        }
        return out;
    }
}
