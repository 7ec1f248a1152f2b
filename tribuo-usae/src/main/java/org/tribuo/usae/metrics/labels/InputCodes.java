package org.tribuo.usae.metrics.labels;

import java.util.Arrays;

/**
 * Per-input sparse codes of one stream: only the strictly positive entries of a
 * {@code [inputs x numLatents]} matrix, stored by row (CSR) and by column (CSC). Input r is input id
 * {@link #inputId(int)}; ids are ascending. Memory: two copies of inputs × active latents.
 */
public final class InputCodes {
    private final long[] inputIds;
    private final int numLatents;
    private final int[] rowStart;
    private final int[] rowLatents;
    private final float[] rowValues;
    private final int[] colStart;
    private final int[] colInputs;
    private final float[] colValues;

    /**
     * @param inputIds   ascending input ids, {@code [inputs]}.
     * @param numLatents m.
     * @param rowStart   {@code [inputs + 1]} offsets into the entries.
     * @param latents    per entry its latent, ascending within a row.
     * @param values     per entry its value, {@code > 0}.
     */
    InputCodes(long[] inputIds, int numLatents, int[] rowStart, int[] latents, float[] values) {
        this.inputIds = inputIds;
        this.numLatents = numLatents;
        this.rowStart = rowStart;
        this.rowLatents = latents;
        this.rowValues = values;
        // Transpose by counting sort: columns list their inputs in ascending order.
        colStart = new int[numLatents + 1];
        for (int l : latents) {
            colStart[l + 1]++;
        }
        for (int l = 0; l < numLatents; l++) {
            colStart[l + 1] += colStart[l];
        }
        int[] fill = Arrays.copyOf(colStart, numLatents);
        colInputs = new int[latents.length];
        colValues = new float[latents.length];
        for (int r = 0; r < inputIds.length; r++) {
            for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                int q = fill[latents[p]]++;
                colInputs[q] = r;
                colValues[q] = values[p];
            }
        }
    }

    /**
     * @param inputIds   ascending input ids, {@code [inputs]}.
     * @param dense      {@code [inputs x numLatents]}; entries {@code <= 0} are inactive.
     * @param numLatents m.
     * @return the sparse codes (tests and small data).
     */
    public static InputCodes fromDense(long[] inputIds, float[] dense, int numLatents) {
        if (dense.length != inputIds.length * numLatents) {
            throw new IllegalArgumentException("dense codes need inputs*numLatents = " + inputIds.length * numLatents
                    + " values, got " + dense.length);
        }
        for (int r = 1; r < inputIds.length; r++) {
            if (inputIds[r] <= inputIds[r - 1]) {
                throw new IllegalArgumentException("input ids must be strictly ascending, got " + inputIds[r - 1]
                        + " then " + inputIds[r]);
            }
        }
        int[] start = new int[inputIds.length + 1];
        int nnz = 0;
        for (float v : dense) {
            if (v > 0) {
                nnz++;
            }
        }
        int[] lat = new int[nnz];
        float[] val = new float[nnz];
        int p = 0;
        for (int r = 0; r < inputIds.length; r++) {
            for (int l = 0; l < numLatents; l++) {
                float v = dense[r * numLatents + l];
                if (v > 0) {
                    lat[p] = l;
                    val[p++] = v;
                }
            }
            start[r + 1] = p;
        }
        return new InputCodes(inputIds.clone(), numLatents, start, lat, val);
    }

    /** @return number of inputs. */
    public int inputs() {
        return inputIds.length;
    }

    /** @return m. */
    public int numLatents() {
        return numLatents;
    }

    /** @param r input position. @return its input id. */
    public long inputId(int r) {
        return inputIds[r];
    }

    /** @return a copy of the ascending input ids. */
    public long[] inputIds() {
        return inputIds.clone();
    }

    /** @return number of stored (positive) entries. */
    public int activeEntries() {
        return rowLatents.length;
    }

    /** @param r input position. @return offset of its first entry. */
    public int rowStart(int r) {
        return rowStart[r];
    }

    /** @param r input position. @return offset past its last entry. */
    public int rowEnd(int r) {
        return rowStart[r + 1];
    }

    /** @param p row-order entry. @return its latent. */
    public int rowLatent(int p) {
        return rowLatents[p];
    }

    /** @param p row-order entry. @return its value. */
    public float rowValue(int p) {
        return rowValues[p];
    }

    /** @param l latent. @return offset of its first column entry. */
    public int colStart(int l) {
        return colStart[l];
    }

    /** @param l latent. @return offset past its last column entry. */
    public int colEnd(int l) {
        return colStart[l + 1];
    }

    /** @param q column-order entry. @return its input position. */
    public int colInput(int q) {
        return colInputs[q];
    }

    /** @param q column-order entry. @return its value. */
    public float colValue(int q) {
        return colValues[q];
    }

    /** @param r input position. @param latent latent. @return the code, 0 when inactive. */
    public float value(int r, int latent) {
        int p = Arrays.binarySearch(rowLatents, rowStart[r], rowStart[r + 1], latent);
        return p >= 0 ? rowValues[p] : 0f;
    }

    /**
     * @param keep per input position, whether to keep it.
     * @return the codes of the kept inputs only.
     */
    public InputCodes restrict(boolean[] keep) {
        if (keep.length != inputIds.length) {
            throw new IllegalArgumentException("keep mask has " + keep.length + " entries for " + inputIds.length + " inputs");
        }
        int n = 0;
        int nnz = 0;
        for (int r = 0; r < keep.length; r++) {
            if (keep[r]) {
                n++;
                nnz += rowStart[r + 1] - rowStart[r];
            }
        }
        long[] ids = new long[n];
        int[] start = new int[n + 1];
        int[] lat = new int[nnz];
        float[] val = new float[nnz];
        int i = 0;
        int p = 0;
        for (int r = 0; r < keep.length; r++) {
            if (keep[r]) {
                int len = rowStart[r + 1] - rowStart[r];
                System.arraycopy(rowLatents, rowStart[r], lat, p, len);
                System.arraycopy(rowValues, rowStart[r], val, p, len);
                p += len;
                ids[i] = inputIds[r];
                start[++i] = p;
            }
        }
        return new InputCodes(ids, numLatents, start, lat, val);
    }
}
