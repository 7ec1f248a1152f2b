package org.tribuo.usae.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.cli.UsaeCliTest.Run;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/** {@code usae tfjs}: the known networks, a real conversion from npm, and one-line errors. */
class TfjsCommandTest {
    @Test
    void listsTheKnownNetworks() {
        Run r = usae("tfjs", "--list");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("coco_ssd") && r.out().contains("inception_v3"), r.out());
    }

    @Test
    void convertsAKnownNetworkAndRefusesBadInputInOneLine(@TempDir Path tmp) throws Exception {
        boolean npm;
        try {
            npm = new ProcessBuilder("npm", "--version").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            npm = false;
        }
        Assumptions.assumeTrue(npm, "npm is not installed");
        Path onnx = tmp.resolve("mnv2.onnx");
        Run r = usae("tfjs", "--network", "mobilenet_v2", "--taps", "block_12_add", "-o", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("output block_12_add [-1, 96, 14, 14]"), r.out());
        assertTrue(Files.size(onnx) > 1_000_000);

        Run noModel = usae("tfjs", "-i", tmp.toString(), "--taps", "x", "-o", tmp.resolve("y.onnx").toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().strip().lines().count() == 1 && noModel.err().contains("holds neither model.json"),
                noModel.err());
        Run both = usae("tfjs", "-i", tmp.toString(), "--network", "coco_ssd", "-o", tmp.resolve("y.onnx").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("exactly one of --input"), both.err());
        Run unknown = usae("tfjs", "--network", "resnet", "-o", tmp.resolve("y.onnx").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown network 'resnet'"), unknown.err());
        assertFalse(Files.exists(tmp.resolve("y.onnx")));
    }
}
