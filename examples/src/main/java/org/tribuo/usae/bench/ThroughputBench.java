package org.tribuo.usae.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.train.MemoryEstimate;
import org.tribuo.usae.train.Recipes;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code usae bench --throughput}: training throughput (tokens/s) of each engine and recipe at the paper's
 * shape and/or a small one, through the trainer, next to the CPU engine of the same run and, for the
 * faithful recipe, the official USAE training loop ({@link OfficialPeer}). Writes a markdown section
 * and a JSON file.
 */
public final class ThroughputBench {
    private ThroughputBench() {
    }

    /**
     * @param opts    the bench options.
     * @param command the command line, for the report.
     * @param out     progress and the table.
     * @return the report (already written), or null for the memory check of {@code --stream-gb} (prints its table).
     */
    public static ThroughputReport run(BenchOptions opts, String command, PrintStream out) {
        List<ThroughputShape> shapes = shapes(opts);
        List<EngineKind> engines = engines(opts.engines);
        List<String> recipes = recipes(opts.recipes == null ? Recipes.names() : opts.recipes);
        if (opts.streamGb != null) {
            runStreamCheck(opts, shapes.get(0), recipes.get(0), out);
            return null;
        }
        int chunk = opts.chunkSteps;
        requireCudaBuildFor(engines);
        List<ThroughputRunner> runners = new ArrayList<>();
        for (ThroughputShape s : shapes) {
            ThroughputRunner r = new ThroughputRunner(s, opts.warmup, opts.timedSteps, chunk, opts.seed);
            requireHeap(r, s, recipes, engines, Runtime.getRuntime().maxMemory());
            runners.add(r);
        }
        OfficialPeer peer = opts.peer == null ? null : new OfficialPeer(opts.peer, opts.peerScript,
                opts.peerDevice != null ? opts.peerDevice : engines.contains(EngineKind.ORT_CUDA) ? "cuda" : "cpu",
                opts.peerThreads > 0 ? opts.peerThreads : Runtime.getRuntime().availableProcessors());
        MachineInfo machine = MachineInfo.current();
        double loadStart = MachineInfo.loadAverage();
        List<ThroughputCell> cells = new ArrayList<>();
        List<GemmRate> rates = new ArrayList<>();
        List<ThroughputReport.PeerEntry> peers = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            ThroughputShape s = shapes.get(i);
            out.println("Throughput at " + s + ": " + opts.warmup + " warm-up + " + opts.timedSteps + " timed steps");
            GemmRate rate = GemmRate.measure(s);
            out.printf(Locale.ROOT, "  SGEMM at the encoder product [%d x %d] . [%d x %d]^T: %.1f GFLOP/s%n", rate.rows(),
                    rate.width(), rate.latents(), rate.width(), rate.gflops());
            try (InMemoryActivationSet set = SyntheticActivations.standardNormal(s.dims(), runners.get(i).poolRows(),
                    opts.seed)) {
                for (String recipe : recipes) {
                    for (EngineKind engine : engines) {
                        ThroughputCell c = runners.get(i).run(set, recipe, engine);
                        cells.add(c);
                        out.printf(Locale.ROOT, "  %s %s: %.0f tokens/s, %.1f ms/step%n", recipe,
                                ThroughputRunner.cliName(engine), c.tokensPerSecond(), c.msPerStep());
                        out.flush();
                    }
                }
            }
            rate = rate.remeasured(s);
            rates.add(rate);
            out.printf(Locale.ROOT, "  SGEMM again after the cells: %.1f GFLOP/s (the bounds use %.1f)%n",
                    rate.gflopsAfter(), rate.gflops());
            if (peer != null) {
                peers.add(runPeer(peer, s, recipes, opts, out));
            }
        }
        List<ThroughputScaling.Row> scaling = List.of();
        if (opts.scalingSteps > 0) {
            scaling = ThroughputScaling.run(shapes.get(0), recipes, 1, opts.scalingSteps, opts.seed, out);
        }
        if (peer == null) {
            out.println("peer: not requested (add --peer python3 to time the official training loop)");
        }
        ThroughputReport report = new ThroughputReport(command, machine, providersUsed(engines), loadStart,
                MachineInfo.loadAverage(), opts.warmup, opts.timedSteps, chunk, shapes, rates, cells, peers, scaling);
        String md = report.markdown();
        Path output = opts.output != null ? opts.output : Path.of("bench-throughput.md");
        org.tribuo.usae.data.AtomicFiles.writeString(output, md);
        report.writeJson(opts.json);
        if (opts.benchmarksMd != null) {
            report.updateMarkdown(opts.benchmarksMd);
        }
        out.println();
        out.println(md);
        out.println("Wrote " + output + " and " + opts.json + (opts.benchmarksMd != null ? "; updated " + opts.benchmarksMd : ""));
        return report;
    }

    /** The memory check of {@code --stream-gb}: prints a markdown table (no report file). */
    private static void runStreamCheck(BenchOptions opts, ThroughputShape shape, String recipe,
                                       PrintStream out) {
        List<Double> sizes = new ArrayList<>();
        for (String g : opts.streamGb) {
            try {
                sizes.add(Double.parseDouble(g.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--stream-gb: '" + g.trim() + "' is not a size in GB; e.g. --stream-gb 1,5");
            }
        }
        double loadStart = MachineInfo.loadAverage();
        out.println("Memory while streaming at " + shape + ", recipe " + recipe);
        List<StreamMemoryCheck.Result> rs = StreamMemoryCheck.run(shape, sizes, opts.streamSteps, recipe, opts.seed,
                Path.of(System.getProperty("java.io.tmpdir")), out);
        out.println();
        out.printf(Locale.ROOT, "1-minute load average %.2f at the start, %.2f at the end.%n%n", loadStart,
                MachineInfo.loadAverage());
        out.println("| data GB | rows | steps | ms/step | peak RSS (VmHWM) | peak RssAnon | peak RssFile |");
        out.println("|---|---|---|---|---|---|---|");
        for (StreamMemoryCheck.Result r : rs) {
            out.printf(Locale.ROOT, "| %.2f | %d | %d | %.1f | %.2f GiB | %.2f GiB | %.2f GiB |%n", r.dataGb(), r.rows(),
                    r.steps(), r.msPerStep(), r.peakRss() / (double) (1L << 30), r.peakAnon() / (double) (1L << 30),
                    r.peakFile() / (double) (1L << 30));
        }
    }

    private static ThroughputReport.PeerEntry runPeer(OfficialPeer peer, ThroughputShape s, List<String> recipes,
                                                      BenchOptions opts, PrintStream out) {
        if (!recipes.contains("FAITHFUL")) {
            String why = "the official loop is the faithful recipe; add faithful to --recipes";
            out.println("peer: not available (" + why + ")");
            return new ThroughputReport.PeerEntry(s.name(), null, why);
        }
        out.println("  official loop (" + peer.device() + ")...");
        OfficialPeer.Outcome o = peer.run(s, opts.warmup, opts.timedSteps);
        if (o.result() == null) {
            out.println("peer: not available (" + o.reason() + ")");
        } else {
            out.printf(Locale.ROOT, "  official loop: %.0f tokens/s, %.1f ms/step%n", o.result().tokensPerSecond(),
                    o.result().msPerStep());
        }
        return new ThroughputReport.PeerEntry(s.name(), o.result(), o.reason());
    }

    static List<ThroughputShape> shapes(BenchOptions opts) {
        List<String> names = opts.shape == null ? List.of("paper") : opts.shape;
        boolean custom = opts.dims != null || opts.latents >= 0 || opts.k >= 0 || opts.rows >= 0;
        if (custom && names.size() > 1) {
            throw new IllegalArgumentException("--dims/--latents/-k/--rows change one shape; got --shape " + String.join(",", names));
        }
        List<ThroughputShape> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            out.add(ThroughputShape.named(n).with(opts.dims, opts.latents, opts.k, opts.rows));
        }
        return out;
    }

    static List<EngineKind> engines(List<String> names) {
        List<EngineKind> out = new ArrayList<>();
        for (String n : names) {
            String key = n.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                EngineKind e = EngineKind.valueOf(key);
                if (!out.contains(e)) {
                    out.add(e);
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("--engines: '" + n.trim() + "' is not an engine; expected "
                        + Arrays.stream(EngineKind.values()).map(ThroughputRunner::cliName).collect(Collectors.joining(", ")));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--engines is empty; e.g. --engines cpu,ort-cpu");
        }
        return out;
    }

    static List<String> recipes(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String r = Recipes.builtIn(n).orElseThrow(() -> new IllegalArgumentException("--recipes: '" + n.trim()
                    + "' is not a recipe; expected one of " + Recipes.names().stream().map(v -> v.toLowerCase(Locale.ROOT))
                    .collect(java.util.stream.Collectors.joining(", ")) + " (the ORT engines run faithful and sparc only)"));
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--recipes is empty; e.g. --recipes faithful,sparc");
        }
        return out;
    }

    /** ort-cuda needs the CUDA build of ONNX Runtime; say how to get it before anything runs. */
    static void requireCudaBuildFor(List<EngineKind> engines) {
        if (engines.contains(EngineKind.ORT_CUDA) && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new IllegalArgumentException("engine ort-cuda needs the CUDA build of ONNX Runtime, but this build has "
                    + OrtEnvironment.getAvailableProviders() + "; build with mvn -B -Pgpu -DskipTests package "
                    + "(CUDA 12 and cuDNN 9 on the host) and run the jar from examples/target");
        }
    }

    /** Refuses, with the -Xmx to use, a shape whose largest cell would not fit in the heap. */
    static void requireHeap(ThroughputRunner runner, ThroughputShape shape, List<String> recipes, List<EngineKind> engines,
                            long maxHeap) {
        long synthetic = 4L * runner.poolRows() * shape.totalWidth();
        for (String recipe : recipes) {
            for (EngineKind engine : engines) {
                MemoryEstimate m = runner.memory(recipe, engine);
                long need = m.bytes() + synthetic;
                if (need > MemoryEstimate.USABLE_FRACTION * maxHeap) {
                    long gib = Math.max(1, (long) Math.ceil(need / MemoryEstimate.USABLE_FRACTION / (1L << 30)));
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "shape %s (%s) needs about %.1f GiB of Java heap for "
                                    + "recipe %s on engine %s (trainer estimate %.1f GiB + synthetic activations %.1f GiB), "
                                    + "but the heap limit is %.1f GiB; run with -Xmx%dg (for the usae script: "
                                    + "USAE_JAVA_OPTS=-Xmx%dg)", shape.name(), shape.describe(), need / (double) (1L << 30),
                            recipe, ThroughputRunner.cliName(engine), m.bytes() / (double) (1L << 30),
                            synthetic / (double) (1L << 30), maxHeap / (double) (1L << 30), gib, gib));
                }
            }
        }
    }

    private static String providersUsed(List<EngineKind> engines) {
        List<String> eps = new ArrayList<>();
        if (engines.contains(EngineKind.ORT_CPU)) {
            eps.add("CPU");
        }
        if (engines.contains(EngineKind.ORT_CUDA)) {
            eps.add("CUDA");
        }
        return eps.isEmpty() ? "none" : String.join(", ", eps);
    }
}
