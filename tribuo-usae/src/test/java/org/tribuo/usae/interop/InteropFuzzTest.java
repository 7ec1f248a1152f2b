package org.tribuo.usae.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random byte mutations of a valid safetensors file and of the pickle inside an upstream torch checkpoint:
 * each mutant either reads or is refused with IllegalArgumentException (or an I/O error) naming the file; no other
 * exception, no hang, no runaway allocation.
 */
class InteropFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void mutatedSafetensorsReadOrFailCleanly() throws Exception {
        byte[] good = new SafetensorsWriter().metadata("format", "pt").putFloats("W_enc", new float[12], 3, 4)
                .putFloats("b_enc", new float[4], 4).putLongs("n", new long[]{3}, 1).toBytes();
        Random rng = new Random(20261208L);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] b = mutate(good, rng, 200);
            Path f = Files.write(tmp.resolve("m" + i + ".safetensors"), b);
            String why = check(f, () -> {
                SafetensorsFile st = SafetensorsFile.open(f);
                for (SafetensorsTensor t : st.tensors().values()) {
                    if (t.dtype().floating()) {
                        st.floats(t.name(), t.shape());
                    }
                }
            });
            if (why != null) {
                bad.add("safetensors mutant " + i + ": " + why);
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void mutatedCheckpointPicklesReadOrFailCleanly() throws Exception {
        Path source = UpstreamImportTest.resource("official-usae/uni_beta_checkpoint_3.pth");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(source.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        String pkl = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        Random rng = new Random(8L);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, byte[]> m = new LinkedHashMap<>(entries);
            m.put(pkl, mutate(entries.get(pkl), rng, entries.get(pkl).length));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, byte[]> e : m.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                }
            }
            Path f = Files.write(tmp.resolve("c" + i + ".pth"), bytes.toByteArray());
            String why = check(f, () -> TorchCheckpoint.read(f));
            if (why != null) {
                bad.add("checkpoint mutant " + i + ": " + why);
            }
        }
        assertEquals(List.of(), bad);
    }

    private static byte[] mutate(byte[] good, Random rng, int region) {
        byte[] b = good.clone();
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            b[rng.nextInt(Math.min(region, b.length))] = (byte) rng.nextInt(256);
        }
        int cut = rng.nextInt(10) == 0 ? rng.nextInt(b.length) : b.length;
        return Arrays.copyOf(b, cut);
    }

    private static String check(Path f, Runnable read) {
        try {
            read.run();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() != null && e.getMessage().contains(f.toString()) ? null
                    : "message does not name the file: " + e.getMessage();
        } catch (UncheckedIOException e) {
            return null;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
