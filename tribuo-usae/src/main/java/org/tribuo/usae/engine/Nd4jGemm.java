package org.tribuo.usae.engine;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Gemm} through ND4J's native SGEMM (OpenBLAS). Java arrays are bulk-copied into off-heap
 * staging buffers, one per operand role, reused across calls, so repeated shapes (every training
 * step) allocate nothing; {@code INDArray.mmul} would allocate and zero a result each call, which
 * halves speed.
 *
 * <p>Staging is bounded: a call whose operands exceed {@link #MAX_STAGED_FLOATS} is split into blocks,
 * by rows of C when A is not transposed, and along the contracted dimension (accumulating into C with
 * beta = 1 after the first block) when A is transposed, so each role's buffer holds at most one block.
 * Staging the full operands cost about 0.6 GB of off-heap memory at the paper shape (each
 * {@code [6272 x 6144]} operand is 154 MB), while a GEMM over 8M-float blocks runs as fast as one
 * over the whole (each block is still over a GFLOP).
 */
public final class Nd4jGemm implements Gemm {
    /**
     * Floats per staging buffer (32 MB): three roles stay under 100 MB off-heap, and a block of C at
     * m = 6144 is still 1365 rows, enough to keep OpenBLAS at full speed. A single row (or column) longer
     * than this is staged whole.
     */
    static final int MAX_STAGED_FLOATS = 8 << 20;

    private final int maxStaged;
    private final Staging aStage = new Staging();
    private final Staging bStage = new Staging();
    private final Staging cStage = new Staging();

    /** Stages at most {@link #MAX_STAGED_FLOATS} floats per operand block. */
    public Nd4jGemm() {
        this(MAX_STAGED_FLOATS);
    }

    /** @param maxStaged floats per staging buffer (tests use a small bound to exercise the blocking). */
    Nd4jGemm(int maxStaged) {
        if (maxStaged < 1) {
            throw new IllegalArgumentException("maxStaged must be >= 1, got " + maxStaged);
        }
        this.maxStaged = maxStaged;
    }

    /**
     * @return true when ND4J's native backend loads here (it unpacks natives on first use).
     */
    public static boolean available() {
        try {
            Nd4j.create(DataType.FLOAT, 1, 1);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                      float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // nothing to contract: C = beta * C (0 overwrites, as the BLAS call would)
            for (int i = 0; i < m * n; i++) {
                c[i] = beta == 0f ? 0f : beta * c[i];
            }
            return;
        }
        int mb;
        int kb;
        if (!transA) {
            // rows of C: the contracted dimension stays whole unless the B block would exceed the bound
            kb = clamp(maxStaged / n, k);
            mb = clamp(maxStaged / Math.max(kb, n), m);
        } else {
            // contracted dimension: the rows of C stay whole unless the C block would exceed the bound
            mb = clamp(maxStaged / n, m);
            kb = clamp(maxStaged / Math.max(mb, n), k);
        }
        boolean bOnce = kb >= k;
        INDArray arrB = bOnce ? stageB(transB, n, k, 0, k, b) : null;
        for (int i0 = 0; i0 < m; i0 += mb) {
            int rows = Math.min(mb, m - i0);
            INDArray arrC = cStage.view(rows, n);
            if (beta != 0f) {
                cStage.put(c, i0 * n, rows * n, 0);
            }
            for (int p0 = 0; p0 < k; p0 += kb) {
                int depth = Math.min(kb, k - p0);
                INDArray arrA = stageA(transA, m, k, i0, rows, p0, depth, a);
                INDArray blockB = bOnce ? arrB : stageB(transB, n, k, p0, depth, b);
                Nd4j.gemm(arrA, blockB, arrC, transA, transB, alpha, p0 == 0 ? beta : 1f);
            }
            cStage.get(c, i0 * n, rows * n);
        }
    }

    /** @return floats held by the three staging buffers (tests check the bound). */
    long stagedFloats() {
        return aStage.capacity() + bStage.capacity() + cStage.capacity();
    }

    private static int clamp(int block, int whole) {
        return Math.max(1, Math.min(block, whole));
    }

    /** op(A) rows {@code [i0, i0+rows)}, columns {@code [p0, p0+depth)}, staged as stored (transposed or not). */
    private INDArray stageA(boolean transA, int m, int k, int i0, int rows, int p0, int depth, float[] a) {
        if (!transA) {
            // stored [m x k]: rows i0.., columns p0..
            INDArray arr = aStage.view(rows, depth);
            aStage.putBlock(a, k, i0, rows, p0, depth);
            return arr;
        }
        // stored [k x m]: rows p0.., columns i0..
        INDArray arr = aStage.view(depth, rows);
        aStage.putBlock(a, m, p0, depth, i0, rows);
        return arr;
    }

    /** op(B) rows {@code [p0, p0+depth)} (all n columns), staged as stored. */
    private INDArray stageB(boolean transB, int n, int k, int p0, int depth, float[] b) {
        if (!transB) {
            // stored [k x n]: rows p0..
            INDArray arr = bStage.view(depth, n);
            bStage.put(b, p0 * n, depth * n, 0);
            return arr;
        }
        // stored [n x k]: columns p0..
        INDArray arr = bStage.view(n, depth);
        bStage.putBlock(b, k, 0, n, p0, depth);
        return arr;
    }

    /**
     * One operand role's off-heap buffer, grown to the largest block seen, with row-major {@code [rows x cols]}
     * views over its start cached by shape (a block and the remainder block per call shape).
     */
    private static final class Staging {
        /** Distinct view shapes kept before the view cache is dropped. */
        private static final int MAX_VIEWS = 32;

        private DataBuffer buffer;
        private FloatBuffer nio;
        private final Map<Long, INDArray> views = new HashMap<>();

        INDArray view(int rows, int cols) {
            long len = (long) rows * cols;
            if (buffer == null || buffer.length() < len) {
                buffer = Nd4j.createBuffer(DataType.FLOAT, len, false);
                nio = buffer.asNioFloat();
                views.clear();
            }
            long key = ((long) rows << 32) | cols;
            INDArray arr = views.get(key);
            if (arr == null) {
                if (views.size() >= MAX_VIEWS) {
                    views.clear();
                }
                arr = Nd4j.create(buffer, new long[]{rows, cols}, new long[]{cols, 1}, 0L, 'c');
                views.put(key, arr);
            }
            return arr;
        }

        long capacity() {
            return buffer == null ? 0 : buffer.length();
        }

        /** Copies {@code src[from, from+len)} to the buffer at {@code at}. */
        void put(float[] src, int from, int len, int at) {
            nio.position(at);
            nio.put(src, from, len);
        }

        /** Copies rows {@code [r0, r0+rows)}, columns {@code [c0, c0+cols)} of row-major src (row length ld). */
        void putBlock(float[] src, int ld, int r0, int rows, int c0, int cols) {
            if (cols == ld) {
                put(src, r0 * ld, rows * ld, 0);
                return;
            }
            for (int r = 0; r < rows; r++) {
                put(src, (r0 + r) * ld + c0, cols, r * cols);
            }
        }

        /** Copies the buffer's first {@code len} floats to {@code dst[from, ...)}. */
        void get(float[] dst, int from, int len) {
            nio.position(0);
            nio.get(dst, from, len);
        }
    }
}
