package org.tribuo.usae.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the peer, {@code tools/peer/official_loop_bench.py} (the official USAE training loop on synthetic
 * activations of the same shape), as a child process and reads the JSON it prints. Anything that stops
 * it (no Python, no torch, no upstream clone, no CUDA) makes it "not available" with the reason, never a
 * failure of the benchmark.
 */
final class OfficialPeer {
    /** The script's exit code for "cannot run here" (its reason is its last stderr line). */
    static final int UNAVAILABLE = 3;

    private final String python;
    private final Path script;
    private final String device;
    private final int threads;

    /**
     * What running the peer gave.
     * @param result the measurement, or null.
     * @param reason why there is none, or null.
     */
    record Outcome(PeerResult result, String reason) {
        static Outcome unavailable(String reason) {
            return new Outcome(null, reason);
        }
    }

    /**
     * @param python  the Python executable (e.g. python3, /usr/bin/python3).
     * @param script  the peer script.
     * @param device  cpu or cuda.
     * @param threads torch CPU threads.
     */
    OfficialPeer(String python, Path script, String device, int threads) {
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException("--peer-device: '" + device + "' is not a device; expected cpu or cuda");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--peer-threads must be >= 1, got " + threads);
        }
        this.python = python;
        this.script = script;
        this.device = device;
        this.threads = threads;
    }

    /** @return the peer's torch device. */
    String device() {
        return device;
    }

    /**
     * @param shape  sizes.
     * @param warmup untimed steps.
     * @param steps  timed steps.
     * @return the result, or why there is none.
     */
    Outcome run(ThroughputShape shape, int warmup, int steps) {
        if (!Files.isRegularFile(script)) {
            return Outcome.unavailable("no peer script at " + script.toAbsolutePath()
                    + " (run from the repository root or pass --peer-script)");
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--device", device,
                "--threads", Integer.toString(threads),
                "--dims", Arrays.stream(shape.dims()).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                "--latents", Integer.toString(shape.latents()), "--k", Integer.toString(shape.k()),
                "--rows", Integer.toString(shape.rows()), "--warmup", Integer.toString(warmup),
                "--steps", Integer.toString(steps)));
        Path err = null;
        try {
            err = Files.createTempFile("usae-peer", ".log");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                String why = lastLine(Files.readString(err));
                return Outcome.unavailable(code == UNAVAILABLE ? why : python + " exited with code " + code + ": " + why);
            }
            return new Outcome(parse(shape.name(), stdout), null);
        } catch (IOException e) {
            return Outcome.unavailable("cannot run '" + python + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.unavailable("interrupted");
        } catch (IllegalArgumentException e) {
            return Outcome.unavailable(e.getMessage());
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * @param shape  shape name recorded in the result.
     * @param stdout the script's standard output; its last line is the JSON object.
     * @return the result.
     * @throws IllegalArgumentException naming what is missing when the output is not the script's JSON.
     */
    static PeerResult parse(String shape, String stdout) {
        String json = lastLine(stdout);
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the peer printed no JSON object (last line: '" + json + "')");
        }
        for (String field : new String[]{"device", "threads", "torch", "upstream_commit", "warmup", "steps", "seconds",
                "ms_per_step", "tokens_per_second", "peak_rss_bytes"}) {
            if (n == null || !n.hasNonNull(field)) {
                throw new IllegalArgumentException("the peer's JSON has no '" + field + "': " + json);
            }
        }
        return new PeerResult(shape, n.get("device").asText(), n.get("threads").asInt(), n.get("torch").asText(),
                n.get("upstream_commit").asText(), n.get("warmup").asLong(), n.get("steps").asLong(),
                n.get("seconds").asDouble(), n.get("ms_per_step").asDouble(), n.get("tokens_per_second").asDouble(),
                n.get("peak_rss_bytes").asLong());
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
