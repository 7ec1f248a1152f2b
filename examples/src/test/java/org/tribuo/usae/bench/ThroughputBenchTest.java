package org.tribuo.usae.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.cli.UsaeCliTest;
import org.tribuo.usae.engine.EngineKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/** {@code usae bench --throughput}: structure of its table and JSON at a tiny shape, warm-up placement, errors. */
class ThroughputBenchTest {
    private static final Path PEER_SCRIPT = Path.of("..", "tools", "peer", "official_loop_bench.py");
    private static final String[] TINY = {"bench", "--throughput", "--dims", "8,6,10", "--latents", "96", "-k", "4",
            "--rows", "64", "--warmup", "1", "--steps", "2", "--chunk-steps", "2", "--engines", "cpu,ort-cpu",
            "--recipes", "faithful,sparc"};

    private static String[] tiny(Path tmp, String... more) {
        String[] files = {"-o", tmp.resolve("t.md").toString(), "--json", tmp.resolve("t.json").toString()};
        String[] out = new String[TINY.length + files.length + more.length];
        System.arraycopy(TINY, 0, out, 0, TINY.length);
        System.arraycopy(files, 0, out, TINY.length, files.length);
        System.arraycopy(more, 0, out, TINY.length + files.length, more.length);
        return out;
    }

    @Test
    void theUserShapesAreTheJobsTrainingShapes() {
        ThroughputShape text = ThroughputShape.named("text");
        assertEquals(java.util.List.of(384, 384, 384), java.util.Arrays.stream(text.dims()).boxed().toList());
        assertEquals(2048, text.latents());
        assertEquals(16, text.k());
        assertEquals(256, text.rows());
        ThroughputShape vision = ThroughputShape.named("Vision");
        assertEquals(java.util.List.of(1280, 2048, 1792), java.util.Arrays.stream(vision.dims()).boxed().toList());
        assertEquals(512, vision.latents());
        assertEquals(256, vision.rows());
    }

    @Test
    void tinyShapeRunsBothEnginesAndWritesTableJsonAndMarkedSection(@TempDir Path tmp) throws Exception {
        Path benchmarks = tmp.resolve("BENCHMARKS.md");
        Files.writeString(benchmarks, "# Benchmarks\n\nhand-written text\n");
        UsaeCliTest.Run run = usae(tiny(tmp, "--benchmarks-md", benchmarks.toString()));
        assertEquals(0, run.code(), run.err());

        JsonNode json = new ObjectMapper().readTree(tmp.resolve("t.json").toFile());
        JsonNode cells = json.get("cells");
        assertEquals(4, cells.size(), json.toPrettyString());             // 2 recipes x 2 engines
        for (JsonNode c : cells) {
            assertTrue(c.get("tokensPerSecond").asDouble() > 0, c.toString());
            assertTrue(c.get("msPerStep").asDouble() > 0, c.toString());
            assertEquals(2, c.get("timedSteps").asInt(), c.toString());
            assertEquals(64, c.get("rowsPerStep").asInt(), c.toString());
            assertTrue(Double.isFinite(c.get("finalLoss").asDouble()), c.toString());
            // tokens/s is rows x timed steps over the seconds measured: 64 x 2 / seconds
            assertEquals(64 * 2 / c.get("seconds").asDouble(), c.get("tokensPerSecond").asDouble(),
                    1e-9 * c.get("tokensPerSecond").asDouble());
        }
        // warm-up: the CPU engine 1 step as asked; ORT in 2-step chunks: FAITHFUL's first chunk is steps 1-2,
        // SPARC's first chunk ends after step 1 (its dead-latent check after step 0), so 1 step suffices
        assertEquals(List.of("FAITHFUL CPU 1 0", "FAITHFUL ORT_CPU 2 2", "SPARC CPU 1 0", "SPARC ORT_CPU 1 2"),
                StreamSupport.stream(cells.spliterator(), false).map(c -> c.get("recipe").asText() + " "
                        + c.get("engine").asText() + " " + c.get("warmupSteps").asInt() + " " + c.get("chunkSteps").asInt())
                        .toList());
        assertEquals("custom", json.get("shapes").get(0).get("name").asText());
        assertTrue(json.get("machine").get("ortVersion").asText().matches("\\d+\\.\\d+.*"), json.get("machine").toString());
        assertEquals(0, json.get("peers").size());
        // FLOP model at widths 8, 6, 10 (D = 24), m = 96, k = 4, 64 rows. FAITHFUL (mean source width 8):
        // dense 2·64·96·(3·8 + 2·24) = 884736; sparse decode + code gradient 2·(2·64·4·24) = 24576 plus the
        // source dictionary 2·64·4·8 = 4096. SPARC: dense 2·64·96·24 = 294912.
        JsonNode faithful = cells.get(0).get("flops");
        assertEquals(884736.0, faithful.get("dense").asDouble(), faithful.toString());
        assertEquals(24576.0 + 4096.0, faithful.get("sparse").asDouble(), faithful.toString());
        assertEquals(294912.0, cells.get(2).get("flops").get("dense").asDouble(), cells.get(2).toString());
        JsonNode rate = json.get("gemmRates").get(0);
        assertEquals(List.of(64, 96, 10), List.of(rate.get("rows").asInt(), rate.get("latents").asInt(),
                rate.get("width").asInt()));
        assertTrue(rate.get("gflops").asDouble() > 0, rate.toString());
        // the bound's rate is the larger of the measurements before and after the cells
        assertEquals(Math.max(rate.get("gflopsBefore").asDouble(), rate.get("gflopsAfter").asDouble()),
                rate.get("gflops").asDouble(), rate.toString());
        // phase timers: the cpu cells carry every phase plus OTHER, in step order; ORT cells none
        assertEquals(List.of("ENCODE", "SELECT", "DECODE", "LOSS", "BACKWARD", "OPTIMIZER", "OTHER"),
                StreamSupport.stream(((Iterable<String>) () -> cells.get(0).get("phaseMsPerStep").fieldNames())
                        .spliterator(), false).toList());
        assertTrue(cells.get(0).get("phaseMsPerStep").get("ENCODE").asDouble() > 0, cells.get(0).toString());
        assertEquals(0, cells.get(1).get("phaseMsPerStep").size(), cells.get(1).toString());

        String md = Files.readString(tmp.resolve("t.md"));
        List<String> rows = md.lines().filter(l -> l.startsWith("|")).toList();
        // main table: header, separator, 4 cells; FLOP table: same; phase table: header, separator, 2 cpu cells
        assertEquals(6 + 6 + 4, rows.size(), md);
        assertTrue(rows.get(0).contains("| tokens/s | vs CPU engine | vs official loop | peak RSS |"), md);
        // the CPU engine's ratio to itself is exactly 1; no peer, so no official-loop ratio
        assertTrue(rows.get(2).startsWith("| custom | FAITHFUL | cpu | 64 | 1 + 2 |"), rows.get(2));
        assertTrue(rows.get(2).contains("| 1.00 | - |"), rows.get(2));
        assertTrue(rows.get(3).startsWith("| custom | FAITHFUL | ort-cpu (chunks of 2) | 64 | 2 + 2 |"), rows.get(3));
        assertTrue(md.contains("Command: `usae bench --throughput --dims 8,6,10"), md);
        // the FLOP table's bound: FAITHFUL's 884736 + 28672 FLOPs at the measured rate, over the measured ms/step
        double boundMs = (884736.0 + 28672.0) / (rate.get("gflops").asDouble() * 1e6);
        String flopRow = rows.stream().filter(l -> l.startsWith("| custom | FAITHFUL | cpu | 0.0 + 0.0 |")).findFirst()
                .orElseThrow(() -> new AssertionError(md));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", boundMs / cells.get(0).get("msPerStep").asDouble()),
                flopRow.split("\\|")[6].trim(), flopRow);
        assertTrue(run.out().contains("peer: not requested"), run.out());

        String doc = Files.readString(benchmarks);
        assertTrue(doc.startsWith("# Benchmarks\n\nhand-written text\n\n<!-- usae bench --throughput CPU custom: begin"), doc);
        assertTrue(doc.contains(md), doc);
    }

    @Test
    void aRunReplacesOnlyItsOwnMarkedSection() {
        String cpuOld = ThroughputReport.beginMarker("CPU") + "\nold\n" + ThroughputReport.endMarker("CPU") + "\n";
        String cuda = ThroughputReport.beginMarker("CUDA") + "\ngpu\n" + ThroughputReport.endMarker("CUDA") + "\n";
        String cpuNew = ThroughputReport.beginMarker("CPU") + "\nnew\n" + ThroughputReport.endMarker("CPU") + "\n";
        String doc = "# B\n\n" + cpuOld + "\n## GPU\n" + cuda + "tail\n";
        assertEquals("# B\n\n" + cpuNew + "\n## GPU\n" + cuda + "tail\n", ThroughputReport.replaceSection(doc, "CPU", cpuNew));
        // no section of that key yet: appended after a blank line
        assertEquals("# B\n\n" + cpuNew, ThroughputReport.replaceSection("# B\n", "CPU", cpuNew));
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> ThroughputReport.replaceSection(ThroughputReport.beginMarker("CPU") + "\n", "CPU", cpuNew));
        assertTrue(broken.getMessage().contains("no '" + ThroughputReport.endMarker("CPU") + "'"), broken.getMessage());
    }

    @Test
    void fusedWarmUpEndsOnAChunkBoundary() {
        ThroughputRunner r = new ThroughputRunner(ThroughputShape.small(), 2, 5, 32, 1);
        assertEquals(2, r.warmupSteps("FAITHFUL", EngineKind.CPU));
        // FAITHFUL never re-initialises: chunks of 32 from step 0, so 2 warm-up steps grow to 32
        assertEquals(32, r.warmupSteps("FAITHFUL", EngineKind.ORT_CPU));
        // SPARC (re-init check every 100 steps, after steps 0, 100, ...): chunks [0], [1..32], ... -> 1 + 32 = 33
        assertEquals(33, r.warmupSteps("SPARC", EngineKind.ORT_CPU));
        assertEquals(1, new ThroughputRunner(ThroughputShape.small(), 1, 5, 32, 1).warmupSteps("SPARC", EngineKind.ORT_CPU));
    }

    @Test
    void peakRssIsReadFromVmHwmInKilobytes() {
        assertEquals(1234L * 1024, PeakRss.parse("Name:\tjava\nVmPeak:\t 99 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 7 kB\n").getAsLong());
        assertFalse(PeakRss.parse("Name:\tjava\n").isPresent());
    }

    @Test
    void peerJsonIsParsedAndMissingFieldsAreNamed() {
        String json = "{\"device\": \"cpu\", \"threads\": 2, \"torch\": \"1.13\", \"upstream_commit\": \"8bfee2b\", "
                + "\"warmup\": 1, \"steps\": 2, \"seconds\": 0.5, \"ms_per_step\": 250.0, \"tokens_per_second\": 256.0, "
                + "\"peak_rss_bytes\": 1024}";
        PeerResult r = OfficialPeer.parse("small", "-----HERE-----\n" + json + "\n");
        assertEquals(new PeerResult("small", "cpu", 2, "1.13", "8bfee2b", 1, 2, 0.5, 250.0, 256.0, 1024), r);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> OfficialPeer.parse("small", json.replace("\"tokens_per_second\": 256.0, ", "")));
        assertTrue(missing.getMessage().contains("'tokens_per_second'"), missing.getMessage());
    }

    @Test
    void badInputsGiveOneLineErrors(@TempDir Path tmp) {
        assertError(usae("bench", "--throughput", "--recovery"), "choose one benchmark");
        assertError(usae(tiny(tmp, "--engines", "cpu,gpu")), "--engines: 'gpu' is not an engine; expected cpu, reference, ort-cpu, ort-cuda");
        assertError(usae(tiny(tmp, "--recipes", "best")), "--recipes: 'best' is not a recipe");
        assertError(usae("bench", "--throughput", "--shape", "huge"), "--shape: 'huge' is not a shape; expected paper, small, text or vision");
        assertError(usae("bench", "--throughput", "--shape", "small,paper", "--rows", "8"), "change one shape");
        assertError(usae(tiny(tmp, "--warmup", "0")), "--warmup, --steps and --chunk-steps must be >= 1");
        assertError(usae(tiny(tmp, "-k", "200")), "need 1 <= k <= latents, got k = 200, latents = 96");
        assertError(usae(tiny(tmp, "--dims", "8,x")), "--dims: 'x' is not a width");
        // 2 x 65536 rows x 8192 floats of synthetic data alone are 4 GiB; with m = 262144 the trainer's
        // estimate is far beyond any test heap
        assertError(usae("bench", "--throughput", "--dims", "4096,4096", "--latents", "262144", "--rows", "65536"),
                "-Xmx");
        if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            assertError(usae(tiny(tmp, "--engines", "cpu,ort-cuda")), "mvn -B -Pgpu -DskipTests package");
        }
    }

    private static void assertError(UsaeCliTest.Run run, String expected) {
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aPeerThatCannotRunIsReportedNotFatal(@TempDir Path tmp) throws Exception {
        UsaeCliTest.Run run = usae(tiny(tmp, "--engines", "cpu", "--recipes", "faithful", "--peer",
                tmp.resolve("no-such-python").toString(), "--peer-script", PEER_SCRIPT.toString()));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("peer: not available (cannot run '" + tmp.resolve("no-such-python")), run.out());
        assertTrue(Files.readString(tmp.resolve("t.md")).contains("Peer at shape custom: not available (cannot run"));

        UsaeCliTest.Run sparcOnly = usae(tiny(tmp, "--engines", "cpu", "--recipes", "sparc", "--peer", "python3",
                "--peer-script", PEER_SCRIPT.toString()));
        assertEquals(0, sparcOnly.code(), sparcOnly.err());
        assertTrue(sparcOnly.out().contains("peer: not available (the official loop is the faithful recipe"), sparcOnly.out());
    }

    /** Runs the official loop at the tiny shape where torch and the upstream clone exist (not in CI). */
    @Test
    void officialLoopPeerAtATinyShape(@TempDir Path tmp) throws Exception {
        String python = "/usr/bin/python3";
        Assumptions.assumeTrue(Files.isExecutable(Path.of(python)), "no " + python);
        Process probe = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "torch is not importable by " + python + " (apt-get install python3-torch to run this test)");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("..", "third_party", "UniversalSAE", "universal_sae", "train.py")),
                "no clone of YorkUCVIL/UniversalSAE in third_party/UniversalSAE (git-ignored; see BENCHMARKS.md)");
        UsaeCliTest.Run run = usae(tiny(tmp, "--engines", "cpu", "--recipes", "faithful", "--peer", python,
                "--peer-threads", "1", "--peer-script", PEER_SCRIPT.toString()));
        assertEquals(0, run.code(), run.err());
        JsonNode peer = new ObjectMapper().readTree(tmp.resolve("t.json").toFile()).get("peers").get(0);
        assertTrue(peer.get("result").get("tokensPerSecond").asDouble() > 0, peer.toString());
        assertEquals(2, peer.get("result").get("timedSteps").asInt(), peer.toString());
        List<String> rows = Files.readString(tmp.resolve("t.md")).lines().filter(l -> l.startsWith("|")).toList();
        // main table: cpu engine + the official loop; FLOP table: the cpu engine; phase table: the cpu engine
        assertEquals(4 + 3 + 3, rows.size(), rows.toString());
        assertTrue(rows.get(2).matches("\\| custom \\| FAITHFUL \\| cpu \\|.*\\| 1\\.00 \\| \\d+\\.\\d\\d \\|.*"), rows.get(2));
        assertTrue(rows.get(3).startsWith("| custom | FAITHFUL | official loop (PyTorch "), rows.get(3));
    }
}
