package org.tribuo.usae.bench;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;

import java.nio.file.Path;
import java.util.List;

/** Options of the benchmarks ({@code usae bench}): which benchmark, its data, recipes, engines and outputs. */
public final class BenchOptions implements Options {
    /** Set by the bare flag {@code --recovery}. */
    public boolean recovery;
    /** Set by the bare flag {@code --throughput}. */
    public boolean throughput;
    @Option(longName = "suite", usage = "--recovery: basic (the planted set of PlantedOptions.benchmark(); default) or hard "
            + "(HardPlantedOptions.hard(): Zipf-like Bernoulli firing, hierarchy, correlated and exclusive concepts, "
            + "nonlinear anisotropic models; docs/recovery.md) or hard-first (the hard suite's first, harder calibration).")
    public String suite = "basic";
    @Option(longName = "suite-set", usage = "--suite hard: settings of HardPlantedOptions changed by name, "
            + "field=value[+field=value...] (e.g. anisotropy=0.25+maxRate=0.05; docs/recovery.md).")
    public String suiteSet;
    @Option(longName = "budgets", usage = "--recovery: comma-separated token budgets, with optional k/M suffix (default 1M,3M,6M).")
    public List<String> budgets = List.of("1M", "3M", "6M");
    @Option(longName = "recipes", usage = "Comma-separated recipes. --recovery: a recipe may carry trainer overrides, "
            + "ALIGNED+learningRate=3e-3+sparsity=GLOBAL_TOPK, and may be a recipe file's path; --throughput: "
            + "built-in recipes (default: every built-in recipe; `usae recipes` lists them).")
    public List<String> recipes;
    @Option(longName = "latents", usage = "Latents m (--recovery default 1024, hard suite 3072; --throughput: the shape's).")
    public int latents = -1;
    @Option(charName = 'k', longName = "k", usage = "Active latents per token (--recovery default 16, hard suite 8; --throughput: the shape's).")
    public int k = -1;
    @Option(longName = "dims", usage = "Model widths (--recovery default 64,96,128, hard suite 64,192,320; --throughput: the shape's).")
    public List<String> dims;
    @Option(longName = "shared", usage = "Shared concepts (default 512).")
    public int shared = -1;
    @Option(longName = "private", usage = "Private concepts per model (default 64).")
    public int privateConcepts = -1;
    @Option(longName = "active", usage = "Shared concepts active per token (default 8).")
    public int active = -1;
    @Option(longName = "eval-rows", usage = "Held-out generated rows for the R2 (default 16384).")
    public int evalRows = 16384;
    @Option(longName = "set", usage = "Trainer overrides for every recipe: field=value[+field=value...].")
    public String set;
    @Option(longName = "seed", usage = "Trainer seed (default 1).")
    public long seed = 1L;
    @Option(longName = "data-seed", usage = "Seed of the planted set (default: the benchmark's 2025).")
    public long dataSeed = -1;
    @Option(charName = 'o', longName = "output", usage = "Markdown file for the table (default bench-recovery.md "
            + "or bench-throughput.md).")
    public Path output;
    @Option(longName = "shape", usage = "--throughput: paper (widths 768,384,768, m 6144, k 32, 6272 rows; default), "
            + "small (64,96,128, m 1024, k 16, 4096 rows), text (the real text job: 384 x 3, m 2048, k 16, 256 rows) "
            + "and/or vision (the vision job: 1280,2048,1792, m 512, k 16, 256 rows); --dims/--latents/-k/--rows change "
            + "one shape.")
    public List<String> shape;
    @Option(longName = "rows", usage = "--throughput: rows (tokens) per step (default: the shape's).")
    public int rows = -1;
    @Option(longName = "engines", usage = "--throughput: cpu, ort-cpu, ort-cuda (needs a -Pgpu build), reference "
            + "(default cpu,ort-cpu).")
    public List<String> engines = List.of("cpu", "ort-cpu");
    @Option(longName = "warmup", usage = "--throughput: untimed steps first (default 2; ORT engines warm up to a chunk boundary).")
    public int warmup = 2;
    @Option(longName = "steps", usage = "--throughput: timed steps (default 5).")
    public int timedSteps = 5;
    @Option(longName = "chunk-steps", usage = "--throughput: steps per ONNX Runtime call (the trainer's ortChunkSteps; default 32).")
    public int chunkSteps = 32;
    @Option(longName = "peer", usage = "--throughput: Python with torch to time the official USAE loop "
            + "(tools/peer/official_loop_bench.py; needs third_party/UniversalSAE), e.g. python3.")
    public String peer;
    @Option(longName = "peer-device", usage = "--throughput: the peer's torch device, cpu or cuda (default cuda when "
            + "--engines has ort-cuda, else cpu).")
    public String peerDevice;
    @Option(longName = "peer-threads", usage = "--throughput: the peer's torch CPU threads (default: all cores).")
    public int peerThreads = -1;
    @Option(longName = "peer-script", usage = "--throughput: the peer script (default tools/peer/official_loop_bench.py).")
    public Path peerScript = Path.of("tools", "peer", "official_loop_bench.py");
    @Option(longName = "scaling-steps", usage = "--throughput: also time how the cpu engine's step cost grows with "
            + "rows, latents and models (halved and doubled at the first shape) with this many timed steps per "
            + "variant (default 0: off).")
    public int scalingSteps = 0;
    @Option(longName = "stream-gb", usage = "--throughput: instead of the throughput cells, the memory check: write "
            + "(once, under the temp directory) a float32 set of each size in GB at the first shape's widths, train "
            + "the cpu engine streaming from it and report peak RSS per size, e.g. 1,5.")
    public List<String> streamGb;
    @Option(longName = "stream-steps", usage = "--throughput --stream-gb: timed steps per size (default 0: one pass "
            + "over the smallest set).")
    public int streamSteps = 0;
    @Option(longName = "json", usage = "--throughput: JSON file of the results (default bench-throughput.json).")
    public Path json = Path.of("bench-throughput.json");
    @Option(longName = "benchmarks-md", usage = "--throughput: also replace this run's marked section in this markdown "
            + "file (e.g. BENCHMARKS.md), or append one.")
    public Path benchmarksMd;
}
