package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Test-side fetch of npm package tarballs (never {@code npm install}: nothing is executed). {@code npm pack} writes
 * the tarball into a cache folder ({@code -Dtribuo.usae.npm.cache}, default {@code ~/.cache/tribuo-usae/npm}),
 * reused while its sha512 matches the pinned integrity; it is unpacked there once by a small tar reader.
 * Tests are skipped (not failed) only where npm is not installed.
 */
final class NpmPackages {
    private NpmPackages() {
    }

    static Path cacheDir() {
        String configured = System.getProperty("tribuo.usae.npm.cache");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "tribuo-usae", "npm");
    }

    /**
     * @param name unscoped package name. @param version exact version.
     * @param integrity the pinned {@code dist.integrity} (sha512-base64).
     * @return the unpacked {@code package/} folder.
     */
    static Path unpacked(String name, String version, String integrity) throws IOException, InterruptedException {
        Path cache = cacheDir();
        Files.createDirectories(cache);
        Path folder = cache.resolve(name + "-" + version);
        Path marker = folder.resolve(".unpacked-" + integrity.replace('/', '_'));
        if (Files.isRegularFile(marker)) {
            return folder.resolve("package");
        }
        Path tarball = tarball(cache, name, version, integrity);
        Path tmp = Files.createTempDirectory(cache, "." + name + "-unpack");
        untarGz(tarball, tmp);
        Files.writeString(tmp.resolve(marker.getFileName()), integrity);
        if (Files.exists(folder)) {
            deleteTree(folder);
        }
        Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        return folder.resolve("package");
    }

    private static Path tarball(Path cache, String name, String version, String integrity)
            throws IOException, InterruptedException {
        Path file = cache.resolve(name + "-" + version + ".tgz");
        if (Files.isRegularFile(file) && integrity.equals(sha512(file))) {
            return file;
        }
        Path tmp = Files.createTempDirectory(cache, ".pack");
        ProcessBuilder pb = new ProcessBuilder("npm", "pack", name + "@" + version, "--pack-destination",
                tmp.toString(), "--silent").redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException noNpm) {
            deleteTree(tmp);
            Assumptions.abort("npm is not installed: " + noNpm.getMessage());
            throw noNpm;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            deleteTree(tmp);
            throw new IOException("npm pack " + name + "@" + version + " failed: " + log.strip());
        }
        Path packed = tmp.resolve(name + "-" + version + ".tgz");
        String actual = sha512(packed);
        if (!integrity.equals(actual)) {
            deleteTree(tmp);
            throw new IOException(name + "@" + version + ": integrity " + actual + " is not the pinned " + integrity);
        }
        Files.move(packed, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(tmp);
        return file;
    }

    static String sha512(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracts regular files of a ustar/pax .tgz below {@code into}, refusing paths that leave it. */
    static void untarGz(Path tgz, Path into) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    return; // end-of-archive block
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'x') {
                    paxPath = paxPath(body);
                    continue;
                }
                if (type == 'g') {
                    continue;
                }
                String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
                paxPath = null;
                if (type != '0' && type != '\0') {
                    continue; // folders are created on demand; links and devices are not extracted
                }
                Path target = into.resolve(path).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(tgz + ": entry " + path + " leaves the extraction folder");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, body);
            }
        }
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String paxPath(byte[] body) {
        // records "<len> key=value\n"
        String text = new String(body, StandardCharsets.UTF_8);
        for (String rec : text.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
