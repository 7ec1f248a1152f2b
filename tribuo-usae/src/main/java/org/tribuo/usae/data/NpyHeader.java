package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A validated .npy header of a C-ordered rank-2 array {@code [rows x cols]}.
 *
 * <p>Format (numpy's format.py): magic {@code \x93NUMPY}, major and minor version bytes, the
 * header length (uint16 LE for v1.0, uint32 LE for v2.0 and v3.0), then a Python dict literal
 * padded with spaces and ending in a newline. Data starts right after it.
 *
 * @param file       the file, for error messages.
 * @param dtype      the element type.
 * @param rows       first dimension.
 * @param cols       second dimension.
 * @param dataOffset byte offset of the first element.
 */
public record NpyHeader(Path file, DType dtype, long rows, int cols, long dataOffset) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Header size NpyWriter reserves: enough for any long row count, a multiple of 64 like numpy. */
    static final int WRITER_HEADER_BYTES = 128;
    /** Largest header accepted (numpy writes a few hundred bytes); bounds what a corrupt length can allocate. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** @return bytes of the data section, {@code rows * cols * itemSize}. */
    public long dataBytes() {
        return Math.multiplyExact(Math.multiplyExact(rows, (long) cols), dtype.itemSize());
    }

    /**
     * Reads and validates the header: magic, version, dict syntax, dtype in {@code allowed},
     * C order, rank 2 and that the file size matches the shape exactly.
     *
     * @param file    the file, for messages.
     * @param ch      an open channel on it.
     * @param allowed dtypes the caller accepts.
     * @return the header.
     * @throws ActivationSetException naming the file and the problem.
     * @throws IOException            on read failure.
     */
    public static NpyHeader read(Path file, FileChannel ch, Set<DType> allowed) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        if (pre.position() < 10) {
            throw fail(file, "too short to be a .npy file (" + size + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw fail(file, "bad magic: expected \\x93NUMPY at offset 0");
            }
        }
        int major = pre.get(6) & 0xFF;
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (pre.position() < 12) {
                throw fail(file, "truncated header");
            }
            headerLen = pre.getInt(8) & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw fail(file, "unsupported .npy version " + major + "." + (pre.get(7) & 0xFF) + ", expected 1.0, 2.0 or 3.0");
        }
        long dataOffset = prefix + headerLen;
        if (headerLen > MAX_HEADER_BYTES) {
            throw fail(file, "corrupt header: header length " + headerLen + " bytes, expected at most " + MAX_HEADER_BYTES);
        }
        if (dataOffset > size) {
            throw fail(file, "corrupt header: header length " + headerLen + " exceeds file size " + size);
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, prefix);
        // v1/v2 headers are latin1, v3 utf8; the keys we need are ASCII either way.
        String dict = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        if (!dict.startsWith("{") || !dict.endsWith("}")) {
            throw fail(file, "corrupt header: expected a Python dict literal, found '" + abbreviate(dict) + "'");
        }
        String descr = group(file, DESCR, dict, "descr");
        String fortran = group(file, FORTRAN, dict, "fortran_order");
        String shape = group(file, SHAPE, dict, "shape");
        DType dtype = DType.fromDescr(descr);
        if (dtype == null || !allowed.contains(dtype)) {
            throw fail(file, "unsupported dtype '" + printable(descr) + "', expected one of " + describe(allowed) + hint(descr, allowed));
        }
        if (!fortran.equals("False")) {
            throw fail(file, "fortran_order is " + printable(fortran) + ", expected False (C order); save with np.ascontiguousarray");
        }
        List<Long> dims = new ArrayList<>();
        for (String s : shape.split(",")) {
            String t = s.trim();
            if (!t.isEmpty()) {
                try {
                    dims.add(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    throw fail(file, "corrupt header: shape entry '" + printable(t) + "' is not an integer");
                }
            }
        }
        if (dims.size() != 2) {
            throw fail(file, "rank " + dims.size() + " shape (" + printable(shape.trim()) + "), expected rank 2 [rows x dim]");
        }
        if (dims.get(0) < 0 || dims.get(1) < 0 || dims.get(1) > Integer.MAX_VALUE) {
            throw fail(file, "invalid shape (" + printable(shape.trim()) + ")");
        }
        NpyHeader h = new NpyHeader(file, dtype, dims.get(0), dims.get(1).intValue(), dataOffset);
        long expected;
        try {
            expected = Math.addExact(dataOffset, h.dataBytes());
        } catch (ArithmeticException e) {
            throw fail(file, "invalid shape (" + printable(shape.trim()) + "): " + h.rows + " x " + h.cols + " x " + dtype.itemSize()
                    + " bytes overflows a 64-bit size; expected at most the file size " + size);
        }
        if (size < expected) {
            throw fail(file, "truncated: expected " + expected + " bytes, found " + size);
        } else if (size > expected) {
            throw fail(file, "size mismatch: expected " + expected + " bytes, found " + size + " (trailing data after shape ("
                    + h.rows + ", " + h.cols + "))");
        }
        return h;
    }

    /**
     * Encodes a v1.0 header of exactly {@code totalBytes} bytes (magic to newline), padded with
     * spaces as numpy does, so data starts at {@code totalBytes}.
     *
     * @param dtype      element type.
     * @param rows       rows.
     * @param cols       columns.
     * @param totalBytes total header size, a multiple of 64.
     * @return the header bytes.
     */
    static byte[] encode(DType dtype, long rows, int cols, int totalBytes) {
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int len = totalBytes - 10;
        if (dict.length() + 1 > len) {
            throw new IllegalStateException("header does not fit in " + totalBytes + " bytes: " + dict);
        }
        StringBuilder sb = new StringBuilder(dict);
        while (sb.length() < len - 1) {
            sb.append(' ');
        }
        sb.append('\n');
        ByteBuffer b = ByteBuffer.allocate(totalBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) len);
        b.put(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                break;
            }
        }
    }

    private static String group(Path file, Pattern p, String dict, String key) {
        Matcher m = p.matcher(dict);
        if (!m.find()) {
            throw fail(file, "corrupt header: missing or malformed '" + key + "' in " + abbreviate(dict));
        }
        return m.group(1);
    }

    /** A fix for the usual wrong dtypes: big-endian, float64, object arrays. */
    private static String hint(String descr, Set<DType> allowed) {
        if (descr.startsWith(">")) {
            return " (big-endian; convert to little-endian, e.g. a.astype('<" + descr.substring(1) + "'))";
        } else if (allowed.contains(DType.INT64)) {
            return "";
        } else if (descr.contains("O")) {
            return " (an object array, not numbers; save a numeric array, e.g. a.astype(np.float32))";
        } else if (descr.endsWith("f8")) {
            return " (float64; convert with a.astype(np.float32))";
        } else if (descr.contains("i") || descr.contains("u")) {
            return " (integers; activations must be float32 or float16)";
        }
        return "";
    }

    private static String describe(Set<DType> allowed) {
        return allowed.stream().map(d -> "'" + d.descr() + "'").sorted().collect(Collectors.joining(", ", "{", "}"));
    }

    private static String abbreviate(String s) {
        return printable(s.length() > 120 ? s.substring(0, 120) + "..." : s);
    }

    /**
     * @param s text from a file.
     * @return s with control characters escaped (as {@code \\n} or {@code \\x00}), so an error
     *         quoting it stays one line.
     */
    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(0, i));
                }
                sb.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\x%02x", (int) c);
                });
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    static ActivationSetException fail(Path file, String problem) {
        return new ActivationSetException(file + ": " + problem);
    }
}
