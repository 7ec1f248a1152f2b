package org.tribuo.usae.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers; content hashes cover data bytes only (little-endian elements, no header). */
final class Sha256 {
    private Sha256() {
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
