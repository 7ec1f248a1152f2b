package org.tribuo.usae.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link Gemm} through ND4J's native SGEMM (OpenBLAS). Java arrays are bulk-copied into off-heap
 * INDArrays kept per operand role and shape, so repeated shapes (every training step) allocate
 * nothing; {@code INDArray.mmul} would allocate and zero a result each call, which halves speed.
 */
public final class Nd4jGemm implements Gemm {
    /** Distinct shapes kept per operand role before the cache is dropped (bounds off-heap memory). */
    private static final int MAX_SHAPES = 32;

    private final Map<Long, INDArray> aBuffers = new HashMap<>();
    private final Map<Long, INDArray> bBuffers = new HashMap<>();
    private final Map<Long, INDArray> cBuffers = new HashMap<>();

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
        INDArray arrA = load(aBuffers, transA ? k : m, transA ? m : k, a);
        INDArray arrB = load(bBuffers, transB ? n : k, transB ? k : n, b);
        INDArray arrC = beta == 0f ? buffer(cBuffers, m, n) : load(cBuffers, m, n, c);
        Nd4j.gemm(arrA, arrB, arrC, transA, transB, alpha, beta);
        arrC.data().asNioFloat().get(c, 0, m * n);
    }

    private static INDArray load(Map<Long, INDArray> cache, int rows, int cols, float[] src) {
        INDArray arr = buffer(cache, rows, cols);
        arr.data().asNioFloat().put(src, 0, rows * cols);
        return arr;
    }

    private static INDArray buffer(Map<Long, INDArray> cache, int rows, int cols) {
        long key = ((long) rows << 32) | cols;
        INDArray arr = cache.get(key);
        if (arr == null) {
            if (cache.size() >= MAX_SHAPES) {
                cache.clear();
            }
            arr = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, cols}, 'c');
            cache.put(key, arr);
        }
        return arr;
    }
}
