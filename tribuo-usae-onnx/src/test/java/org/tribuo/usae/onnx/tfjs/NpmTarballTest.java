package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tar reader behind {@link NpmTarball} on hand-made archives: regular files out, everything hostile refused. */
class NpmTarballTest {
    /** One ustar entry: a 512-byte header (name, octal size, type, checksum) and the body padded to 512. */
    static byte[] entry(String name, String sizeField, char type, byte[] body) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        byte[] size = sizeField.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(body);
        out.writeBytes(new byte[(512 - body.length % 512) % 512]);
        return out.toByteArray();
    }

    static byte[] file(String name, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return entry(name, String.format("%011o", body.length), '0', body);
    }

    static Path tgz(Path dir, byte[]... entries) throws IOException {
        Path f = dir.resolve("t.tgz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (byte[] e : entries) {
                gz.write(e);
            }
            gz.write(new byte[1024]);
        }
        return f;
    }

    @Test
    void extractsRegularFilesAndSkipsLinks(@TempDir Path tmp) throws IOException {
        Path t = tgz(tmp, file("package/a/model.json", "{}"), entry("package/link", "00000000000", '2', new byte[0]),
                file("package/b.bin", "xyz"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        NpmTarball.untarGz(t, out);
        assertEquals("{}", Files.readString(out.resolve("package/a/model.json")));
        assertEquals("xyz", Files.readString(out.resolve("package/b.bin")));
        assertFalse(Files.exists(out.resolve("package/link")));
    }

    @Test
    void hostileOrCorruptArchivesAreRefusedNamingTheEntry(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        IOException escape = assertThrows(IOException.class,
                () -> NpmTarball.untarGz(tgz(tmp, file("package/../../evil.txt", "x")), out));
        assertTrue(escape.getMessage().contains("'package/../../evil.txt' leaves the extraction folder"), escape.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        IOException absolute = assertThrows(IOException.class, () -> NpmTarball.untarGz(tgz(tmp, file("/etc/evil", "x")), out));
        assertTrue(absolute.getMessage().contains("leaves the extraction folder"), absolute.getMessage());
        IOException size = assertThrows(IOException.class,
                () -> NpmTarball.untarGz(tgz(tmp, entry("package/x", "9z", '0', new byte[0])), out));
        assertTrue(size.getMessage().contains("size field '9z'"), size.getMessage());
        IOException huge = assertThrows(IOException.class,
                () -> NpmTarball.untarGz(tgz(tmp, entry("package/x", "77777777777", '0', new byte[0])), out));
        assertTrue(huge.getMessage().contains("exceeds the limits"), huge.getMessage());
        IOException truncated = assertThrows(IOException.class,
                () -> NpmTarball.untarGz(tgz(tmp, entry("package/x", String.format("%011o", 4000), '0', new byte[10])), out));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void aBadPackageNameIsRefusedBeforeAnythingRuns(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpmTarball.unpacked("../x", "1.0.0", "sha512-x", tmp, s -> { }));
        assertTrue(e.getMessage().contains("../x@1.0.0"), e.getMessage());
    }
}
