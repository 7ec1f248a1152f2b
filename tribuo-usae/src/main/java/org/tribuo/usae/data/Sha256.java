package org.tribuo.usae.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers; content hashes cover data bytes only (little-endian elements, no header). */
public final class Sha256 {
    private Sha256() {
    }

    /**
     * @param file a file.
     * @return the hex SHA-256 of its whole content, read in chunks.
     * @throws java.io.UncheckedIOException naming the file when it cannot be read.
     */
    public static String ofFile(java.nio.file.Path file) {
        MessageDigest md = newDigest();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** @return hex SHA-256 of the floats as little-endian float32 bytes, as a float32 .npy would hold them. */
    static String ofFloats(float[] data) {
        MessageDigest md = newDigest();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!b.hasRemaining()) {
                b.flip();
                md.update(b);
                b.clear();
            }
            b.putFloat(v);
        }
        b.flip();
        md.update(b);
        return HexFormat.of().formatHex(md.digest());
    }
}
