package org.tribuo.usae.onnx.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network catalogue: a converted network is cached, re-used, and converted again when the cache is corrupt. */
class TfjsNetworkTest {
    @Test
    void theConvertedModelIsCachedReusedAndRebuiltWhenCorrupt(@TempDir Path tmp) throws Exception {
        TfjsRealNetworksTest.folder(TfjsNetwork.MOBILENET_V2);   // skips where npm is missing
        List<String> log = new ArrayList<>();
        Path onnx = TfjsNetwork.MOBILENET_V2.onnx(NpmTarball.defaultCache(), tmp, log::add);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Converted mobilenet_v2")), log.toString());
        byte[] first = Files.readAllBytes(onnx);
        log.clear();
        assertEquals(onnx, TfjsNetwork.MOBILENET_V2.onnx(NpmTarball.defaultCache(), tmp, log::add));
        assertTrue(log.isEmpty(), "a valid cached model is re-used: " + log);
        byte[] corrupt = first.clone();
        corrupt[corrupt.length / 2] ^= 1;
        Files.write(onnx, corrupt);
        TfjsNetwork.MOBILENET_V2.onnx(NpmTarball.defaultCache(), tmp, log::add);
        assertTrue(log.get(0).contains("does not match its checksum"), log.toString());
        assertArrayEquals(first, Files.readAllBytes(onnx), "conversion is deterministic");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfjsNetwork.byKey("resnet"));
        assertTrue(e.getMessage().contains("coco_ssd") && e.getMessage().contains("inception_v3"), e.getMessage());
    }
}
