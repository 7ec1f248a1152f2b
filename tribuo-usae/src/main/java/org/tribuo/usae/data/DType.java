package org.tribuo.usae.data;

/**
 * The numpy dtypes this package reads. Only little-endian descriptors are accepted because every
 * platform we target is little-endian and a byte-swapping path would be untested code.
 */
public enum DType {
    /** float32, little-endian. */
    FLOAT32("<f4", 4),
    /** float16 (IEEE half), little-endian; widened to float32 on read. */
    FLOAT16("<f2", 2),
    /** int64, little-endian; used by the row index. */
    INT64("<i8", 8);

    private final String descr;
    private final int itemSize;

    DType(String descr, int itemSize) {
        this.descr = descr;
        this.itemSize = itemSize;
    }

    /** @return the numpy 'descr' string, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** @return bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /**
     * @param descr a numpy 'descr' string.
     * @return the dtype, or null when this package does not support it.
     */
    public static DType fromDescr(String descr) {
        for (DType d : values()) {
            if (d.descr.equals(descr)) {
                return d;
            }
        }
        return null;
    }
}
