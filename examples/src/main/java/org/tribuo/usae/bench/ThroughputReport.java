package org.tribuo.usae.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tribuo.usae.data.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of one {@code usae bench --throughput} run, and its markdown and JSON forms.
 *
 * @param command    the command line.
 * @param machine    where it ran.
 * @param executionProviders the ONNX Runtime execution providers used ("CPU", "CUDA", "CPU, CUDA"; "none").
 * @param loadStart  1-minute load average at the start.
 * @param loadEnd    and at the end.
 * @param warmup     requested warm-up steps.
 * @param steps      timed steps.
 * @param chunkSteps steps per ONNX Runtime call.
 * @param shapes     shapes measured.
 * @param gemmRates  the SGEMM rate at each shape's encoder product, measured in this run (the bounds' yardstick).
 * @param cells      one per shape, recipe and engine.
 * @param peers      the official loop, one per shape where it was asked for.
 * @param scaling    how the cpu engine's step cost grows (empty unless asked for).
 */
record ThroughputReport(String command, MachineInfo machine, String executionProviders, double loadStart,
                        double loadEnd, int warmup, int steps, int chunkSteps, List<ThroughputShape> shapes,
                        List<GemmRate> gemmRates, List<ThroughputCell> cells, List<PeerEntry> peers,
                        List<ThroughputScaling.Row> scaling) {

    /**
     * The peer's outcome at one shape.
     * @param shape  shape name.
     * @param result the measurement, or null.
     * @param reason why there is none, or null.
     */
    record PeerEntry(String shape, PeerResult result, String reason) {
    }

    /** Marker lines around a run's section in a markdown file; the key keeps runs of other providers or shapes apart. */
    static String beginMarker(String key) {
        return "<!-- usae bench --throughput " + key + ": begin (generated; replaced by the next run) -->";
    }

    static String endMarker(String key) {
        return "<!-- usae bench --throughput " + key + ": end -->";
    }

    /** @return the section key: the execution providers used and the shapes, e.g. "CPU paper" or "CUDA small+paper". */
    String sectionKey() {
        return executionProviders.replace(", ", "+") + " "
                + String.join("+", shapes.stream().map(ThroughputShape::name).toList());
    }

    /** @return tokens/s of the CPU engine at this shape and recipe, if measured. */
    Optional<ThroughputCell> cpuCell(String shape, String recipe) {
        return cells.stream().filter(c -> c.shape().equals(shape) && c.recipe().equals(recipe) && c.engine().equals("CPU"))
                .findFirst();
    }

    /** @return the official loop's result at this shape, if it ran. */
    Optional<PeerResult> peer(String shape) {
        return peers.stream().filter(p -> p.shape().equals(shape) && p.result() != null).map(PeerEntry::result).findFirst();
    }

    /** @return the markdown section, between its markers. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(beginMarker(sectionKey())).append('\n');
        sb.append("#### Run of ").append(machine.dateUtc()).append(" UTC, execution provider ").append(executionProviders)
                .append("\n\n");
        sb.append("Command: `").append(command).append("`  \n");
        sb.append(String.format(Locale.ROOT, "Machine: %d cores (%s), %s, %s, heap limit %.1f GiB; ONNX Runtime %s "
                        + "(providers %s); 1-minute load average %.2f at the start, %.2f at the end (the machine may be "
                        + "shared: compare ratios within one run).  %n", machine.cores(), machine.cpuModel(), machine.os(),
                machine.jvm(), machine.maxHeapGiB(), machine.ortVersion(), machine.ortProviders(), loadStart, loadEnd));
        sb.append("Timing: ").append(warmup).append(" warm-up step(s), then ").append(steps).append(" timed steps through ")
                .append("`UsaeTrainer` (the fused ORT engines run ").append(chunkSteps).append("-step chunks and warm up to ")
                .append("the next chunk boundary); synthetic standard-normal activations held in memory; peak RSS is ")
                .append("`VmHWM`, reset before each row.\n");
        for (ThroughputShape s : shapes) {
            sb.append("Shape ").append(s.name()).append(": ").append(s.describe()).append(".  \n");
        }
        for (PeerEntry p : peers) {
            if (p.result() == null) {
                sb.append("Peer at shape ").append(p.shape()).append(": not available (").append(p.reason()).append(").  \n");
            } else {
                PeerResult r = p.result();
                sb.append("Peer at shape ").append(p.shape()).append(": official `train_cross_prediction_saes` (YorkUCVIL/UniversalSAE ")
                        .append(r.upstreamCommit(), 0, Math.min(7, r.upstreamCommit().length())).append("), torch ")
                        .append(r.torch()).append(", device ").append(r.device()).append(", ").append(r.threads())
                        .append(" threads.  \n");
            }
        }
        sb.append('\n');
        sb.append("| shape | recipe | engine | rows/step | steps (warm-up + timed) | ms/step | tokens/s | vs CPU engine "
                + "| vs official loop | peak RSS |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (ThroughputCell c : cells) {
            Optional<PeerResult> peer = c.recipe().equals("FAITHFUL") ? peer(c.shape()) : Optional.empty();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d + %d | %.1f | %.0f | %s | %s | %s |%n",
                    c.shape(), c.recipe(), engineLabel(c), c.rowsPerStep(), c.warmupSteps(), c.timedSteps(), c.msPerStep(),
                    c.tokensPerSecond(), ratio(c.tokensPerSecond(), cpuCell(c.shape(), c.recipe())
                            .map(ThroughputCell::tokensPerSecond)), ratio(c.tokensPerSecond(),
                            peer.map(PeerResult::tokensPerSecond)), c.peakRssBytes() < 0 ? "n/a"
                            : gib(c.peakRssBytes()) + (c.peakRssIsCellOwn() ? "" : " (process peak)")));
        }
        for (PeerEntry p : peers) {
            if (p.result() != null) {
                PeerResult r = p.result();
                sb.append(String.format(Locale.ROOT, "| %s | FAITHFUL | official loop (PyTorch %s, %s) | %d | %d + %d "
                                + "| %.1f | %.0f | %s | 1.00 | %s |%n", r.shape(), r.torch(), r.device(),
                        rowsOf(r.shape()), r.warmupSteps(), r.timedSteps(), r.msPerStep(), r.tokensPerSecond(),
                        ratio(r.tokensPerSecond(), cpuCell(r.shape(), "FAITHFUL").map(ThroughputCell::tokensPerSecond)),
                        gib(r.peakRssBytes())));
            }
        }
        flopTable(sb);
        phaseTable(sb);
        if (!scaling.isEmpty()) {
            sb.append(ThroughputScaling.markdown(scaling));
        }
        sb.append(endMarker(sectionKey())).append('\n');
        return sb.toString();
    }

    /** @return the SGEMM rate measured at this shape, if any. */
    Optional<GemmRate> rate(String shape) {
        return gemmRates.stream().filter(r -> r.shape().equals(shape)).findFirst();
    }

    /**
     * Each cell against its recipe's FLOP bound ({@code FlopModel}: dense + sparse FLOPs the step must do, over the
     * SGEMM rate) and against the encoder-only roofline (the encoder forward alone at that rate).
     */
    private void flopTable(StringBuilder sb) {
        sb.append("\nAgainst the FLOP model (`FlopModel.expected`: the FLOPs each recipe's step must do; **bound** = ")
                .append("those FLOPs at the SGEMM rate measured at the shape's encoder product in this run; **ratio** = ")
                .append("bound ms / measured ms, 1.00 = at the bound; **roofline** = the encoder forward alone):  \n");
        for (GemmRate r : gemmRates) {
            sb.append(String.format(Locale.ROOT, "SGEMM at shape %s: [%d x %d] . [%d x %d]^T through the engine's "
                            + "AutoGemm (ND4J/OpenBLAS), median of %d: %.1f GFLOP/s before the cells, %.1f after; the "
                            + "bounds use the larger, %.1f.  %n", r.shape(), r.rows(), r.width(), r.latents(), r.width(),
                    r.repeats(), r.gflopsBefore(), r.gflopsAfter(), r.gflops()));
        }
        sb.append('\n');
        sb.append("| shape | recipe | engine | GFLOP/step dense + sparse | bound ms/step | ratio to bound "
                + "| roofline ms/step | ratio to roofline | achieved GFLOP/s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (ThroughputCell c : cells) {
            Optional<GemmRate> rate = rate(c.shape());
            if (rate.isEmpty() || c.flops() == null) {
                continue;
            }
            double flopsPerMs = rate.get().gflops() * 1e6;
            double boundMs = c.flops().total() / flopsPerMs;
            double rooflineMs = c.flops().encoderRoofline() / flopsPerMs;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f + %.1f | %.1f | %.2f | %.1f | %.2f | %.1f |%n",
                    c.shape(), c.recipe(), engineLabel(c), c.flops().dense() / 1e9, c.flops().sparse() / 1e9, boundMs,
                    boundMs / c.msPerStep(), rooflineMs, rooflineMs / c.msPerStep(),
                    c.flops().total() / (c.msPerStep() * 1e6)));
        }
    }

    /** Where the cpu engine's step time goes, from its phase timers. */
    private void phaseTable(StringBuilder sb) {
        List<ThroughputCell> timed = cells.stream().filter(c -> c.phaseMsPerStep() != null
                && !c.phaseMsPerStep().isEmpty()).toList();
        if (timed.isEmpty()) {
            return;
        }
        sb.append("\nWhere the time goes (`cpu` engine, ms per timed step, `PhaseTimer`; other = batch assembly, ")
                .append("listeners and the rest of the step):\n\n");
        sb.append("| shape | recipe | encode | select | decode | loss | backward | optimizer | other | ms/step |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (ThroughputCell c : timed) {
            Map<String, Double> p = c.phaseMsPerStep();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    c.shape(), c.recipe(), p.get("ENCODE"), p.get("SELECT"), p.get("DECODE"), p.get("LOSS"),
                    p.get("BACKWARD"), p.get("OPTIMIZER"), p.get("OTHER"), c.msPerStep()));
        }
    }

    private int rowsOf(String shape) {
        return shapes.stream().filter(s -> s.name().equals(shape)).mapToInt(ThroughputShape::rows).findFirst().orElse(0);
    }

    private static String engineLabel(ThroughputCell c) {
        return ThroughputRunner.cliName(org.tribuo.usae.engine.EngineKind.valueOf(c.engine()))
                + (c.chunkSteps() > 0 ? " (chunks of " + c.chunkSteps() + ")" : "");
    }

    private static String ratio(double ours, Optional<Double> base) {
        return base.map(b -> String.format(Locale.ROOT, "%.2f", ours / b)).orElse("-");
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /** @param file the JSON file to write (atomically). */
    void writeJson(Path file) {
        try {
            AtomicFiles.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces this run's marked section of a markdown file (the one with the same execution providers and shapes),
     * or appends it when the file has none.
     * @param file markdown file; created when absent.
     */
    void updateMarkdown(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            AtomicFiles.writeString(file, replaceSection(text, sectionKey(), markdown()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param text    a markdown document.
     * @param key     section key.
     * @param section the new section, markers included.
     * @return the document with the key's section replaced, or the section appended.
     * @throws IllegalArgumentException when a begin marker has no end marker after it.
     */
    static String replaceSection(String text, String key, String section) {
        int begin = text.indexOf(beginMarker(key));
        if (begin < 0) {
            return text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        int end = text.indexOf(endMarker(key), begin);
        if (end < 0) {
            throw new IllegalArgumentException("the markdown file has '" + beginMarker(key) + "' but no '" + endMarker(key)
                    + "' after it; restore the end marker or remove the section");
        }
        int after = text.indexOf('\n', end);
        return text.substring(0, begin) + section + (after < 0 ? "" : text.substring(after + 1));
    }
}
