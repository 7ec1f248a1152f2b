package org.tribuo.usae.interop;

/** The storage types a torch checkpoint may name ({@code torch.FloatStorage}, ...), with their element sizes. */
public enum TorchDType {
    FLOAT("FloatStorage", 4, true), DOUBLE("DoubleStorage", 8, true), HALF("HalfStorage", 2, true),
    BFLOAT16("BFloat16Storage", 2, true), LONG("LongStorage", 8, false), INT("IntStorage", 4, false),
    SHORT("ShortStorage", 2, false), CHAR("CharStorage", 1, false), BYTE("ByteStorage", 1, false),
    BOOL("BoolStorage", 1, false);

    private final String storage;
    private final int bytes;
    private final boolean floating;

    TorchDType(String storage, int bytes, boolean floating) {
        this.storage = storage;
        this.bytes = bytes;
        this.floating = floating;
    }

    /** @return the storage class name in module {@code torch}. */
    public String storage() {
        return storage;
    }

    /** @return bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** @return whether the elements are floating point. */
    public boolean floating() {
        return floating;
    }

    /** @param name a class name in module torch. @return its dtype, or null if it is not a storage type. */
    static TorchDType ofStorage(String name) {
        for (TorchDType t : values()) {
            if (t.storage.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
