package org.tribuo.usae.interop;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.data.Float16;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated safetensors file (the format of Hugging Face, SAELens and sparsify): an 8-byte little-endian header
 * length N, N bytes of a UTF-8 JSON object mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (plus an optional {@code __metadata__} object of strings), then the tensors' raw
 * little-endian bytes.
 *
 * <p>{@link #open} checks the whole header before any tensor is read, and refuses with one line naming the file
 * and what is wrong: a file shorter than its header, a header over {@value #MAX_HEADER_BYTES} bytes, bytes that
 * are not UTF-8 JSON, duplicate names, unknown fields or dtypes, negative or overflowing shapes, offsets out of
 * range, overlapping or leaving holes (the data section must be covered exactly, as the format's own reader
 * demands), and byte counts that disagree with a tensor's shape. Tensors are read on demand by position, so a
 * large file is never held whole.
 */
public final class SafetensorsFile {
    /** The largest header accepted (the format's reference reader has the same limit). */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    /** The header key of the free-form string metadata. */
    public static final String METADATA = "__metadata__";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private final Path file;
    private final long dataStart;
    private final Map<String, SafetensorsTensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, long dataStart, Map<String, SafetensorsTensor> tensors,
                            Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Reads and validates the header.
     * @param file the file.
     * @return the file's header, ready to read tensors from.
     * @throws IllegalArgumentException naming the file and the fault when the file is not valid safetensors.
     * @throws UncheckedIOException when the file cannot be read.
     */
    public static SafetensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long n = len.getLong(0);
            if (n < 2 || n > MAX_HEADER_BYTES) {
                throw bad(file, "declares a header of " + Long.toUnsignedString(n) + " bytes, expected 2 to "
                        + MAX_HEADER_BYTES);
            }
            if (n > size - 8) {
                throw bad(file, "declares a header of " + n + " bytes but holds only " + (size - 8) + " after the length");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8, file);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header.flip()).toString();
            } catch (CharacterCodingException e) {
                throw bad(file, "has a header that is not UTF-8");
            }
            return parse(file, json, 8 + n, size - 8 - n);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path file, String json, long dataStart, long dataBytes) {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad(file, "has a header that is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(root instanceof ObjectNode obj)) {
            throw bad(file, "has a header that is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsTensor> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                list.add(entry(file, e.getKey(), e.getValue()));
            }
        }
        checkCoverage(file, list, dataBytes);
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsTensor t : list) {
            tensors.put(t.name(), t);
        }
        return new SafetensorsFile(file, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw bad(file, "has a " + METADATA + " that is not an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw bad(file, "has " + METADATA + "." + m.getKey() + " that is not a string");
            }
            metadata.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static SafetensorsTensor entry(Path file, String name, JsonNode node) {
        String where = file + ": tensor '" + name + "'";
        if (name.isEmpty()) {
            throw bad(file, "has a tensor with an empty name");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not an object with dtype, shape and data_offsets");
        }
        for (Iterator<String> f = node.fieldNames(); f.hasNext(); ) {
            String field = f.next();
            if (!ENTRY_FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + " has an unknown field '" + field
                        + "', expected dtype, shape and data_offsets");
            }
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new IllegalArgumentException(where + " lacks a dtype string");
        }
        SafetensorsDType type = SafetensorsDType.parse(dtype.textValue(), where);
        long[] shape = longs(node.get("shape"), -1, where, "shape");
        long[] offsets = longs(node.get("data_offsets"), 2, where, "data_offsets");
        if (offsets[0] > offsets[1]) {
            throw new IllegalArgumentException(where + " has data_offsets " + offsets[0] + " > " + offsets[1]);
        }
        SafetensorsTensor t = new SafetensorsTensor(name, type, shape, offsets[0], offsets[1]);
        long bytes;
        try {
            bytes = Math.multiplyExact(t.numel(), type.bytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + " has a shape whose size overflows: " + java.util.Arrays.toString(shape));
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new IllegalArgumentException(where + " has shape " + java.util.Arrays.toString(shape) + " of " + type
                    + " (" + bytes + " bytes) but data_offsets span " + (offsets[1] - offsets[0]) + " bytes");
        }
        return t;
    }

    private static long[] longs(JsonNode node, int length, String where, String field) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new IllegalArgumentException(where + " needs " + field + " as an array of "
                    + (length >= 0 ? length + " " : "") + "non-negative integers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new IllegalArgumentException(where + " has " + field + "[" + i + "] = " + v
                        + ", expected a non-negative integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The data section must be covered exactly: tensors back to back from byte 0, no overlap, no hole, no excess. */
    private static void checkCoverage(Path file, List<SafetensorsTensor> list, long dataBytes) {
        List<SafetensorsTensor> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        long expected = 0;
        SafetensorsTensor previous = null;
        for (SafetensorsTensor t : sorted) {
            if (t.end() > dataBytes) {
                throw bad(file, "tensor '" + t.name() + "' ends at byte " + t.end() + " of a data section of "
                        + dataBytes + " bytes (out of range)");
            }
            if (t.begin() < expected) {
                throw bad(file, "tensors '" + previous.name() + "' and '" + t.name() + "' overlap at byte " + t.begin());
            }
            if (t.begin() > expected) {
                throw bad(file, "leaves bytes [" + expected + ", " + t.begin() + ") of the data section to no tensor");
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataBytes) {
            throw bad(file, "has " + (dataBytes - expected) + " bytes after its last tensor (the data section is "
                    + dataBytes + " bytes, the tensors cover " + expected + ")");
        }
    }

    /** @return the file. */
    public Path file() {
        return file;
    }

    /** @return the tensors by name, in header order. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    /** @return the {@code __metadata__} strings (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @param name a tensor name.
     * @return its header entry.
     * @throws IllegalArgumentException naming the file, the tensor and the names present.
     */
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + name + "' (it holds " + tensors.keySet() + ")");
        }
        return t;
    }

    /**
     * Reads a tensor as float32, checking its shape.
     * @param name the tensor.
     * @param shape the shape expected (row-major).
     * @return its elements, row-major.
     * @throws IllegalArgumentException when the tensor is absent, not floating point, or of another shape.
     */
    public float[] floats(String name, long... shape) {
        SafetensorsTensor t = tensor(name);
        requireShape(t, shape);
        if (!t.dtype().floating()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + t.dtype()
                    + ", expected a floating-point dtype (F32, F16, BF16 or F64)");
        }
        ByteBuffer b = bytes(t);
        int n = (int) t.numel();
        float[] out = new float[n];
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(t.dtype().name());
        }
        return out;
    }

    /**
     * @param t a tensor.
     * @param shape the shape expected.
     * @throws IllegalArgumentException naming the file, tensor and both shapes when they differ.
     */
    public void requireShape(SafetensorsTensor t, long... shape) {
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
    }

    private ByteBuffer bytes(SafetensorsTensor t) {
        long len = t.end() - t.begin();
        if (len > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' is " + len
                    + " bytes, more than one Java array holds");
        }
        ByteBuffer b = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, b, dataStart + t.begin(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw bad(file, "ended early (it changed while being read?)");
            }
            pos += r;
        }
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + " is not a valid safetensors file: it " + what);
    }
}
