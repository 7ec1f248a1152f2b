package org.tribuo.usae.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.data.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a safetensors file ({@link SafetensorsFile} describes the format): tensors in the order they are added,
 * the header padded with spaces to a multiple of 8 bytes so every tensor starts 8-byte aligned, written in one
 * crash-safe step ({@link AtomicFiles}).
 */
public final class SafetensorsWriter {
    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private record Entry(SafetensorsDType dtype, long[] shape, byte[] data) {
    }

    /**
     * Adds a float32 tensor.
     * @param name  a name not yet used.
     * @param data  row-major elements (copied).
     * @param shape the shape; its product must equal {@code data.length}.
     * @return this writer.
     */
    public SafetensorsWriter putFloats(String name, float[] data, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return put(name, SafetensorsDType.F32, shape, data.length, b.array());
    }

    /**
     * Adds an int64 tensor.
     * @param name  a name not yet used.
     * @param data  row-major elements (copied).
     * @param shape the shape; its product must equal {@code data.length}.
     * @return this writer.
     */
    public SafetensorsWriter putLongs(String name, long[] data, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return put(name, SafetensorsDType.I64, shape, data.length, b.array());
    }

    private SafetensorsWriter put(String name, SafetensorsDType dtype, long[] shape, long count, byte[] bytes) {
        if (name == null || name.isEmpty() || name.equals(SafetensorsFile.METADATA)) {
            throw new IllegalArgumentException("A safetensors tensor needs a non-empty name other than "
                    + SafetensorsFile.METADATA + ", got '" + name + "'");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("Tensor '" + name + "' was already added");
        }
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("Tensor '" + name + "' has a negative dimension in "
                        + java.util.Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        if (n != count) {
            throw new IllegalArgumentException("Tensor '" + name + "' has " + count + " elements but shape "
                    + java.util.Arrays.toString(shape) + " holds " + n);
        }
        tensors.put(name, new Entry(dtype, shape.clone(), bytes));
        return this;
    }

    /**
     * @param key   a metadata key.
     * @param value its value.
     * @return this writer.
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** @return the file's bytes. */
    public byte[] toBytes() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(SafetensorsFile.METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long s : e.getValue().shape()) {
                shape.add(s);
            }
            long end = offset + e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, 8 + padded + offset));
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.writeBytes(len.array());
        out.writeBytes(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Entry e : tensors.values()) {
            out.writeBytes(e.data());
        }
        return out.toByteArray();
    }

    /**
     * Writes the file atomically (the target is the old file, absent, or the whole new one).
     * @param file the target.
     */
    public void write(Path file) {
        AtomicFiles.write(file, toBytes());
    }
}
