package org.tribuo.usae.onnx.tfjs;

import org.tribuo.usae.data.Float16;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tfjs {@code weightsManifest}: per group, the shard files of {@code paths} are concatenated in order and
 * the group's {@code weights} (name, shape, dtype, optional quantization) lie back to back in that buffer,
 * little-endian. A shard is a raw binary file, or (nsfwjs' packaging) {@code <path>.min.js}, a browserify module
 * exporting the shard's bytes as one base64 string. Sizes are checked before anything is decoded: the shards of
 * a group must hold exactly the bytes its weights need.
 *
 * <p>Dequantisation follows tfjs: {@code uint8}/{@code uint16} store {@code q} with {@code value = min + scale * q}
 * (computed in double, stored as float, as tfjs does); {@code float16} stores IEEE half floats.
 */
final class TfjsWeights {
    /** One byte array per group: the largest a Java array holds. */
    static final long MAX_GROUP_BYTES = Integer.MAX_VALUE - 64;
    /** Suffix of nsfwjs' base64 shard modules. */
    static final String MIN_JS = ".min.js";

    private TfjsWeights() {
    }

    /** One manifest entry, sized. */
    private record Entry(JsonAt at, String name, long[] shape, TfjsTensor.DType dtype, String quantDtype,
                         double min, double scale, long bytes) {
    }

    /**
     * @param manifest the {@code weightsManifest} array.
     * @param folder the folder the shard paths are relative to.
     * @return the weights by name, in manifest order.
     */
    static Map<String, TfjsTensor> read(JsonAt manifest, Path folder) {
        Map<String, TfjsTensor> out = new LinkedHashMap<>();
        for (JsonAt group : manifest.elements()) {
            List<Entry> entries = new ArrayList<>();
            long need = 0;
            for (JsonAt w : group.field("weights").elements()) {
                Entry e = entry(w);
                if (out.containsKey(e.name) || entries.stream().anyMatch(x -> x.name.equals(e.name))) {
                    throw w.field("name").error("duplicate weight name '" + e.name + "'");
                }
                entries.add(e);
                need += e.bytes;
                if (need > MAX_GROUP_BYTES) {
                    throw w.error("the group's weights need more than " + MAX_GROUP_BYTES + " bytes");
                }
            }
            byte[] buffer = shards(group.field("paths"), folder, need);
            ByteBuffer bb = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                out.put(e.name, decode(e, bb));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(JsonAt w) {
        String name = w.field("name").text();
        long[] shape = shape(w.field("shape"));
        String dtypeName = w.field("dtype").text();
        TfjsTensor.DType dtype = switch (dtypeName) {
            case "float32" -> TfjsTensor.DType.FLOAT32;
            case "int32" -> TfjsTensor.DType.INT32;
            default -> throw w.field("dtype").error("unsupported dtype '" + dtypeName + "' of weight '" + name
                    + "' (float32 and int32 are)");
        };
        long n = TfjsTensor.numElements(shape);
        JsonAt q = w.optional("quantization");
        if (q == null) {
            return new Entry(w, name, shape, dtype, null, 0, 0, n * 4);
        }
        String qd = q.field("dtype").text();
        if (dtype != TfjsTensor.DType.FLOAT32) {
            throw q.error("quantized " + dtypeName + " weights are not supported (weight '" + name + "')");
        }
        return switch (qd) {
            case "uint8", "uint16" -> {
                double min = q.field("min").number();
                double scale = q.field("scale").number();
                yield new Entry(w, name, shape, dtype, qd, min, scale, n * (qd.equals("uint8") ? 1 : 2));
            }
            case "float16" -> new Entry(w, name, shape, dtype, qd, 0, 0, n * 2);
            default -> throw q.field("dtype").error("unsupported quantization dtype '" + qd + "' of weight '" + name
                    + "' (uint8, uint16 and float16 are)");
        };
    }

    /** @return a shape of non-negative dimensions holding fewer than 2^31 elements. */
    static long[] shape(JsonAt at) {
        List<JsonAt> dims = at.elements();
        if (dims.size() > 8) {
            throw at.error("rank " + dims.size() + " is more than 8");
        }
        long[] shape = new long[dims.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).integer(0, Integer.MAX_VALUE);
            n *= Math.max(shape[i], 1);
            if (n > Integer.MAX_VALUE) {
                throw at.error("more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return shape;
    }

    private static TfjsTensor decode(Entry e, ByteBuffer bb) {
        int n = (int) TfjsTensor.numElements(e.shape);
        if (e.dtype == TfjsTensor.DType.INT32) {
            int[] v = new int[n];
            bb.asIntBuffer().get(v);
            bb.position(bb.position() + n * 4);
            return TfjsTensor.ofInts(e.name, e.shape, v);
        }
        float[] v = new float[n];
        if (e.quantDtype == null) {
            bb.asFloatBuffer().get(v);
            bb.position(bb.position() + n * 4);
        } else if (e.quantDtype.equals("uint8")) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((bb.get() & 0xff) * e.scale + e.min);
            }
        } else if (e.quantDtype.equals("uint16")) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((bb.getShort() & 0xffff) * e.scale + e.min);
            }
        } else {
            for (int i = 0; i < n; i++) {
                v[i] = Float16.toFloat(bb.getShort());
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                throw e.at.error("weight '" + e.name + "' holds a non-finite value at element " + i);
            }
        }
        return TfjsTensor.ofFloats(e.name, e.shape, v);
    }

    /** Reads and concatenates a group's shards, refusing any total other than {@code need} bytes. */
    private static byte[] shards(JsonAt paths, Path folder, long need) {
        List<JsonAt> list = paths.elements();
        List<Path> files = new ArrayList<>();
        List<Boolean> base64 = new ArrayList<>();
        long rawTotal = 0;
        for (JsonAt p : list) {
            String rel = p.text();
            Path file = resolve(p, folder, rel);
            boolean raw = Files.isRegularFile(file);
            if (!raw) {
                Path js = folder.resolve(rel + MIN_JS).normalize();
                if (!Files.isRegularFile(js)) {
                    throw p.error("shard file " + rel + " (or " + rel + MIN_JS + ") not found in " + folder);
                }
                file = js;
            }
            files.add(file);
            base64.add(!raw);
            if (raw) {
                rawTotal += size(file);
                if (rawTotal > need) {
                    throw p.error("shards hold more bytes than the weights need (" + need + ")");
                }
            }
        }
        byte[] buffer = new byte[(int) need];
        int at = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            byte[] bytes = base64.get(i) ? base64Shard(file, need - at) : readAll(file);
            if (at + (long) bytes.length > need) {
                throw list.get(i).error("shards hold more bytes than the weights need (" + need + "), at "
                        + file.getFileName());
            }
            System.arraycopy(bytes, 0, buffer, at, bytes.length);
            at += bytes.length;
        }
        if (at != need) {
            throw paths.error("shards hold " + at + " bytes, the manifest's weights need " + need);
        }
        return buffer;
    }

    private static Path resolve(JsonAt p, Path folder, String rel) {
        if (rel.isEmpty() || rel.indexOf('\0') >= 0) {
            throw p.error("bad shard path");
        }
        Path file;
        try {
            file = folder.resolve(rel).normalize();
        } catch (RuntimeException e) {
            throw p.error("bad shard path '" + rel + "'");
        }
        if (!file.startsWith(folder.normalize())) {
            throw p.error("shard path '" + rel + "' leaves the model folder");
        }
        return file;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new TfjsFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TfjsFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes a {@code .min.js} shard module; {@code room} bounds its size before it is read. */
    private static byte[] base64Shard(Path file, long room) {
        String name = file.getFileName().toString();
        // base64 takes 4 characters per 3 bytes; the UMD wrapper adds well under 64 KiB
        long limit = room / 3 * 4 + 8 + 65536;
        if (size(file) > limit) {
            throw new TfjsFormatException(name + ": " + size(file) + " bytes is more than the manifest's remaining "
                    + room + " weight bytes can take as base64");
        }
        String module = new String(readAll(file), StandardCharsets.UTF_8);
        var value = JsLiteral.parseExport(name, module);
        if (!value.isTextual()) {
            throw new TfjsFormatException(name + ": the module exports " + value.getNodeType().name().toLowerCase()
                    + ", expected a base64 string");
        }
        try {
            return Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new TfjsFormatException(name + ": bad base64 in the exported string (" + e.getMessage() + ")", e);
        }
    }
}
