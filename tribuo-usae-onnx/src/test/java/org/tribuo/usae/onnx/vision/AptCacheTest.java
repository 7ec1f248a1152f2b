package org.tribuo.usae.onnx.vision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of {@link AptCache} that need no download: the completeness marker, the checksum refusal,
 * and the errors for a missing command or empty package lists (commands named so that they are not
 * found, never a stand-in for apt).
 */
class AptCacheTest {
    static final String NO_APT = "usae-test-no-such-apt-get";
    static final String NO_DPKG = "usae-test-no-such-dpkg-deb";

    static DebianPackage pkg(String sha) {
        return new DebianPackage("demo-data", "1.0-2", "all", sha);
    }

    static AptCache missingCommands(Path cache, Path lists) {
        return new AptCache(cache, NO_APT, NO_DPKG, lists);
    }

    @Test
    void aCompleteFolderIsReusedWithoutRunningAnything(@TempDir Path tmp) throws IOException {
        DebianPackage p = pkg("ab".repeat(32));
        Path dir = Files.createDirectories(tmp.resolve(p.folderName()).resolve("usr/share/demo"));
        Path unpacked = tmp.resolve(p.folderName());
        assertFalse(AptCache.complete(unpacked, p)); // no marker: a half-unpacked folder is never complete
        Files.writeString(unpacked.resolve(AptCache.MARKER), "cd".repeat(32) + "\n");
        assertFalse(AptCache.complete(unpacked, p)); // a marker of another .deb
        Files.writeString(unpacked.resolve(AptCache.MARKER), p.sha256() + "\n");
        assertTrue(AptCache.complete(unpacked, p));
        // neither apt-get nor dpkg-deb exists under these names: reuse must not need them
        assertEquals(unpacked, missingCommands(tmp, tmp.resolve("no-lists")).unpacked(p));
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aDebWithAnotherChecksumIsDeletedAndNamed(@TempDir Path tmp) throws IOException {
        DebianPackage p = pkg(AptCache.sha256(Files.writeString(tmp.resolve("other"), "the real bytes")));
        Path deb = Files.writeString(tmp.resolve(p.debFile()), "tampered bytes");
        String got = AptCache.sha256(deb);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> missingCommands(tmp, tmp).deb(p));
        assertTrue(e.getMessage().contains(got) && e.getMessage().contains(p.sha256()) && e.getMessage().contains("deleted it"),
                e.getMessage());
        assertFalse(Files.exists(deb));
        // the right bytes are taken as they are, with no apt-get at all
        Files.writeString(deb, "the real bytes");
        assertEquals(deb, missingCommands(tmp, tmp).deb(p));
    }

    @Test
    void missingCommandsAndEmptyListsSayWhatToRun(@TempDir Path tmp) throws IOException {
        DebianPackage p = pkg("ab".repeat(32));
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        IllegalStateException apt = assertThrows(IllegalStateException.class, () -> missingCommands(tmp.resolve("cache"), lists).deb(p));
        assertTrue(apt.getMessage().startsWith("apt-get not found: '" + NO_APT + "' is on no folder of PATH"), apt.getMessage());
        assertTrue(apt.getMessage().contains(p.debFile()) && apt.getMessage().contains(p.sha256()), apt.getMessage());
        assertFalse(apt.getMessage().contains("\n"));
        // apt-get present (any executable on PATH stands for the command lookup), lists empty
        AptCache noLists = new AptCache(tmp.resolve("cache"), "sh", NO_DPKG, lists);
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> noLists.deb(p));
        assertTrue(empty.getMessage().endsWith("run: apt-get update"), empty.getMessage());
        assertTrue(empty.getMessage().contains(lists.toString()) && empty.getMessage().contains(p.pin()), empty.getMessage());

        // the .deb is there and right, but dpkg-deb is missing: named, and no folder is left behind
        DebianPackage small = pkg(AptCache.sha256(Files.writeString(tmp.resolve("x"), "deb bytes")));
        Path cache = Files.createDirectories(tmp.resolve("c2"));
        Files.writeString(cache.resolve(small.debFile()), "deb bytes", StandardCharsets.UTF_8);
        IllegalStateException dpkg = assertThrows(IllegalStateException.class, () -> missingCommands(cache, lists).unpacked(small));
        assertTrue(dpkg.getMessage().startsWith("dpkg-deb not found: '" + NO_DPKG + "'"), dpkg.getMessage());
        assertTrue(dpkg.getMessage().contains("apt-get install dpkg"), dpkg.getMessage());
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(java.util.List.of(small.debFile()), s.map(f -> f.getFileName().toString()).toList());
        }
        IllegalStateException path = assertThrows(IllegalStateException.class,
                () -> new AptCache(cache, NO_APT, tmp.resolve("bin/dpkg-deb").toString(), lists).unpacked(small));
        assertTrue(path.getMessage().startsWith("dpkg-deb not found at " + tmp.resolve("bin/dpkg-deb")), path.getMessage());
    }

    @Test
    void aptFailuresAreToldApart() {
        assertTrue(AptCache.aptFailure("p=1", 100, "Reading package lists...\nE: Unable to locate package p\n")
                .endsWith("; run: apt-get update (the Debian release must be bookworm or one that ships this version)"));
        String net = AptCache.aptFailure("p=1", 100, "Err:1 http://deb.debian.org p\n  Temporary failure resolving 'deb.debian.org'\n"
                + "E: Failed to fetch http://deb.debian.org/p.deb  Temporary failure resolving 'deb.debian.org'\n");
        assertTrue(net.startsWith("the Debian mirror is unreachable") && !net.contains("\n"), net);
        assertTrue(AptCache.aptFailure("p=1", 1, "").endsWith("failed (exit 1): no output"));
    }

    @Test
    void packageFieldsAreCheckedBeforeTheyReachACommandLine() {
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("x; rm -rf /", "1", "all", "ab".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("demo", "1:2.0", "all", "ab".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new DebianPackage("demo", "1.0", "all", "xyz"));
        DebianPackage p = new DebianPackage("demo", "1.0-1", "all", "AB".repeat(32));
        assertEquals("ab".repeat(32), p.sha256());
        assertEquals("demo_1.0-1_all.deb", p.debFile());
        assertEquals("demo=1.0-1", p.pin());
    }
}
