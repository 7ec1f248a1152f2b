package org.tribuo.usae.interop;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of the safetensors format that this reader knows, by their header names. Every element is
 * little-endian in the file.
 */
public enum SafetensorsDType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** @return bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** @return whether elements are floating point (readable as float32). */
    public boolean floating() {
        return floating;
    }

    /**
     * @param name the header's dtype string.
     * @param where the file and tensor, for the message.
     * @return the dtype.
     * @throws IllegalArgumentException naming the value and the known ones.
     */
    static SafetensorsDType parse(String name, String where) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(where + ": unknown dtype '" + name + "', expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
