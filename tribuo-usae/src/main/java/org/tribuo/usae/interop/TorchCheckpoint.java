package org.tribuo.usae.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A checkpoint written by {@code torch.save} (torch 1.6 and later): a zip archive holding {@code <name>/data.pkl},
 * the pickled object, and {@code <name>/data/<key>}, one entry of raw little-endian bytes per storage. The pickle is
 * read by {@link RestrictedUnpickler}, which executes nothing; storages are read only when a tensor names them, and
 * each must hold exactly its declared bytes, so a zip entry that inflates beyond that (a zip bomb) is cut off.
 */
public final class TorchCheckpoint {
    /** The largest {@code data.pkl} read. */
    public static final int MAX_PICKLE_BYTES = 64 << 20;

    private TorchCheckpoint() {
    }

    /**
     * @param file a {@code .pth} / {@code .pt} file.
     * @return the unpickled object: dicts as {@link LinkedHashMap}, tensors as {@link TorchTensor} (see
     *     {@link RestrictedUnpickler} for the other types).
     * @throws IllegalArgumentException naming the file and the fault when it is not a torch zip checkpoint of tensors
     *     and plain containers.
     */
    public static Object read(Path file) {
        try {
            byte[] magic = new byte[4];
            try (InputStream s = Files.newInputStream(file)) {
                if (s.readNBytes(magic, 0, 4) < 4 || magic[0] != 'P' || magic[1] != 'K') {
                    throw new IllegalArgumentException(file + " is not a torch zip checkpoint (it does not start with "
                            + "'PK'); checkpoints saved before torch 1.6, or with _use_new_zipfile_serialization=False, "
                            + "must be re-saved with torch.save in torch 1.6 or later");
                }
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                String prefix = prefix(zip, file);
                ZipEntry order = zip.getEntry(prefix + "byteorder");
                if (order != null) {
                    String bo = new String(entry(zip, order, 16, file), java.nio.charset.StandardCharsets.US_ASCII).strip();
                    if (!bo.equals("little")) {
                        throw new IllegalArgumentException(file + ": byteorder is '" + bo + "', expected 'little'");
                    }
                }
                byte[] pickle = entry(zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES, file);
                // torch stores entries uncompressed, so the tensors fit in the file; a compressed entry may inflate, but
                // not past this (a zip bomb is cut off here, not after allocating what its pickle declares)
                long fileSize = Files.size(file);
                long[] budget = {Math.max(1L << 20, 64 * fileSize)};
                return new RestrictedUnpickler(pickle, file.toString(), (dtype, key, numel) -> {
                    ZipEntry e = zip.getEntry(prefix + "data/" + key);
                    if (e == null) {
                        throw new IllegalArgumentException(file + ": storage '" + key + "' named by the pickle is not in "
                                + "the archive");
                    }
                    long bytes = Math.multiplyExact(numel, dtype.bytes());
                    budget[0] -= bytes;
                    if (budget[0] < 0) {
                        throw new IllegalArgumentException(file + ": its pickle declares more tensor data than a "
                                + "checkpoint of " + fileSize + " bytes can hold");
                    }
                    if (bytes > Integer.MAX_VALUE - 8) {
                        throw new IllegalArgumentException(file + ": storage '" + key + "' is " + bytes
                                + " bytes, more than one Java array holds");
                    }
                    byte[] raw;
                    try {
                        raw = entry(zip, e, (int) bytes, file);
                    } catch (IOException io) {
                        throw new UncheckedIOException("Could not read " + file + ": " + io.getMessage(), io);
                    }
                    if (raw.length != bytes) {
                        throw new IllegalArgumentException(file + ": storage '" + key + "' holds " + raw.length
                                + " bytes, its pickle declares " + numel + " x " + dtype + " = " + bytes);
                    }
                    return decode(dtype, raw, (int) numel);
                }).load();
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + " is not a readable torch zip checkpoint: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The archive's one top-level folder holding data.pkl. */
    private static String prefix(ZipFile zip, Path file) {
        List<String> found = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException(file + " is not a torch zip checkpoint: expected one <name>/data.pkl, found "
                    + found.size());
        }
        return found.get(0);
    }

    /** Reads at most {@code limit} bytes of an entry, and refuses it when it holds more. */
    private static byte[] entry(ZipFile zip, ZipEntry e, int limit, Path file) throws IOException {
        try (InputStream s = zip.getInputStream(e)) {
            byte[] b = s.readNBytes(limit);
            if (s.read() != -1) {
                throw new IllegalArgumentException(file + ": zip entry '" + e.getName() + "' holds more than the "
                        + limit + " bytes expected");
            }
            return b;
        }
    }

    private static Object decode(TorchDType dtype, byte[] raw, int n) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype.floating()) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case FLOAT -> b.getFloat(i * 4);
                    case DOUBLE -> (float) b.getDouble(i * 8);
                    case HALF -> org.tribuo.usae.data.Float16.toFloat(b.getShort(i * 2));
                    default -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);   // BFLOAT16
                };
            }
            return out;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case LONG -> b.getLong(i * 8);
                case INT -> b.getInt(i * 4);
                case SHORT -> b.getShort(i * 2);
                case CHAR -> b.get(i);
                default -> b.get(i) & 0xff;                  // BYTE, BOOL
            };
        }
        return out;
    }

    /**
     * @param root  an unpickled object.
     * @param key   a key of it, or null for the root itself.
     * @param where the file, for messages.
     * @return the tensors of the state_dict at {@code key} (other entries, such as _metadata, are skipped).
     * @throws IllegalArgumentException when there is no such dict.
     */
    public static Map<String, TorchTensor> stateDict(Object root, String key, Path where) {
        Object o = root;
        if (key != null) {
            if (!(root instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new IllegalArgumentException(where + ": the checkpoint has no '" + key + "' (its keys: "
                        + (root instanceof Map<?, ?> m2 ? m2.keySet() : "none, it is not a dict") + ")");
            }
            o = m.get(key);
        }
        if (!(o instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": " + (key == null ? "the checkpoint" : "'" + key + "'")
                    + " is not a state_dict (a dict of tensors)");
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof TorchTensor t) {
                out.put(k, t);
            }
        }
        return out;
    }
}
