package org.tribuo.usae.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors writer's layout, the reader's conversions, and one-line refusals of hostile files. */
class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsOrderShapesMetadataAndAlignment() throws Exception {
        float[] a = {1f, -2.5f, 3.25f, Float.MIN_VALUE, 7f, 8f};
        Path f = tmp.resolve("a.safetensors");
        new SafetensorsWriter().metadata("format", "pt").putFloats("w", a, 2, 3).putLongs("n", new long[]{42L}, 1)
                .putFloats("s", new float[]{0.5f}).write(f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                + "\"data_offsets\":[0,24]},\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[24,32]}"), header);
        SafetensorsFile read = SafetensorsFile.open(f);
        assertEquals(java.util.List.of("w", "n", "s"), java.util.List.copyOf(read.tensors().keySet()));
        assertEquals("pt", read.metadata().get("format"));
        assertArrayEquals(a, read.floats("w", 2, 3));
        assertArrayEquals(new float[]{0.5f}, read.floats("s"));
        assertEquals(8 + n + 24 + 8 + 4, bytes.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.floats("w", 3, 2));
        assertEquals(f + ": tensor 'w' has shape [2, 3], expected [3, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read.floats("n", 1));
        assertTrue(e.getMessage().contains("tensor 'n' is I64, expected a floating-point dtype"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read.floats("W_enc", 1));
        assertEquals(f + ": no tensor 'W_enc' (it holds [w, n, s])", e.getMessage());
    }

    @Test
    void halfBfloatAndDoubleConvertToFloat() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(2 + 2 + 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00);        // F16 1.0
        data.putShort((short) 0xc040);        // BF16 -3.0
        data.putDouble(0.1);
        Path f = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[2,4]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[4,12]}}", data.array());
        SafetensorsFile read = SafetensorsFile.open(f);
        assertArrayEquals(new float[]{1f}, read.floats("h", 1));
        assertArrayEquals(new float[]{-3f}, read.floats("b"));
        assertArrayEquals(new float[]{0.1f}, read.floats("d", 1, 1));
    }

    @Test
    void hostileFilesAreRefusedWithOneLine() throws Exception {
        String ok = "\"dtype\":\"F32\",\"shape\":[2]";
        assertRefused(Files.write(tmp.resolve("short"), new byte[]{1, 2, 3}), "is 3 bytes, shorter than the 8-byte header length");
        assertRefused(raw(Long.MAX_VALUE, new byte[16]), "declares a header of 9223372036854775807 bytes, expected 2 to 100000000");
        assertRefused(raw(-1L, new byte[16]), "declares a header of 18446744073709551615 bytes");
        assertRefused(raw(64, new byte[16]), "declares a header of 64 bytes but holds only 16 after the length");
        assertRefused(file("[1,2]", new byte[0]), "has a header that is not a JSON object");
        assertRefused(file("{\"a\":", new byte[0]), "has a header that is not valid JSON");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"a\":{" + ok + ",\"data_offsets\":[8,16]}}",
                new byte[16]), "Duplicate field 'a'");
        assertRefused(file("{\"a\":{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'a': unknown dtype 'F128', expected one of F64, F32");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[0,8],\"exec\":\"rm\"}}", new byte[8]),
                "tensor 'a' has an unknown field 'exec'");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'a' has shape[0] = -2, expected a non-negative integer");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'a' has shape [3] of F32 (12 bytes) but data_offsets span 8 bytes");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
                new byte[8]), "has a shape whose size overflows");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"b\":{" + ok + ",\"data_offsets\":[4,12]}}",
                new byte[12]), "tensors 'a' and 'b' overlap at byte 4");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[4,12]}}", new byte[12]),
                "leaves bytes [0, 4) of the data section to no tensor");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", new byte[4]),
                "tensor 'a' ends at byte 8 of a data section of 4 bytes (out of range)");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", new byte[9]),
                "has 1 bytes after its last tensor");
        assertRefused(file("{\"a\":{" + ok + ",\"data_offsets\":[8,0]}}", new byte[8]), "has data_offsets 8 > 0");
        assertRefused(file("{\"__metadata__\":{\"x\":1}}", new byte[0]), "has __metadata__.x that is not a string");
        byte[] latin = "{\"\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(raw(latin.length, latin), "has a header that is not UTF-8");
    }

    private void assertRefused(Path f, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    private int count;

    private Path file(String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(tmp.resolve("f" + count++ + ".safetensors"), b.array());
    }

    private Path raw(long declared, byte[] rest) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declared).put(rest);
        return Files.write(tmp.resolve("r" + count++ + ".safetensors"), b.array());
    }
}
