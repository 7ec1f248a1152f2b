#!/usr/bin/python3
"""Throughput of the OFFICIAL USAE training loop, the peer of `usae bench --throughput`.

Calls universal_sae/train.py:train_cross_prediction_saes of a clone of YorkUCVIL/UniversalSAE
(commit 8bfee2b; git-ignored, never committed) with the setup of its uni_demo.py: one TopKSAE per
model (encoder mlp_bn_1, l2 dictionary), AdamW(lr=3e-4, weight_decay=1e-5) and a CosineScheduler
each, criterion top_k_auxiliary_loss_L1, clip_grad 1.0, monitoring 0 (no per-step R2 table or
logging, as in a timed run). The data are synthetic standardised activations (standard normal,
float32) of the same shapes as the Java benchmark, batches of [rows/196 x 196 x d] CPU tensors
(pinned on CUDA, as a DataLoader with pin_memory would give) that the loop moves to the device
itself. Model names m0, m1, m2 (not DinoV2/CLIP, so the loop does not resample 16x16 token grids:
the Java side is also fed 196-token rows for every model).

The timed window: the loop pulls batch W+1 from the data iterator once W steps are done; the
window runs from then to the iterator's end (after W + N steps), with torch.cuda.synchronize()
at both ends on CUDA. Checkpoint saving after the epoch (train.py:save_checkpoint) is replaced
by a no-op: it runs after the last step and writes into the working directory.

Prints one JSON object on stdout; progress goes to stderr. Exit code 3 with a one-line reason
when the peer cannot run (no torch, no upstream clone, no CUDA).

  git clone https://github.com/YorkUCVIL/UniversalSAE third_party/UniversalSAE
  git -C third_party/UniversalSAE checkout 8bfee2b
  python3 tools/peer/official_loop_bench.py --shape paper --device cuda
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import upstream_stubs  # noqa: E402

SHAPES = {
    # widths (SigLIP, DinoV2, ViT), m = 8 x 768, k, 32 images x 196 tokens
    "paper": dict(dims=[768, 384, 768], latents=6144, k=32, rows=6272),
    "small": dict(dims=[64, 96, 128], latents=1024, k=16, rows=4096),
}
TOKENS_PER_IMAGE = 196
UNAVAILABLE = 3


def unavailable(reason):
    print(reason, file=sys.stderr)
    sys.exit(UNAVAILABLE)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shape", choices=sorted(SHAPES), default="paper")
    p.add_argument("--dims", help="comma-separated widths (overrides the shape's)")
    p.add_argument("--latents", type=int, help="m (overrides the shape's)")
    p.add_argument("-k", "--k", type=int, help="active latents (overrides the shape's)")
    p.add_argument("--rows", type=int, help="rows (tokens) per step (overrides the shape's)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    p.add_argument("--steps", type=int, default=5, help="timed steps (default 5)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="torch.set_num_threads (Debian's torch defaults to 1; default: all cores)")
    p.add_argument("--upstream", type=Path, default=ROOT / "third_party" / "UniversalSAE",
                   help="clone of YorkUCVIL/UniversalSAE (default third_party/UniversalSAE)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    shape = dict(SHAPES[a.shape])
    if a.dims:
        try:
            shape["dims"] = [int(d) for d in a.dims.split(",")]
        except ValueError:
            p.error(f"--dims: '{a.dims}' is not a comma-separated list of widths")
    for key in ("latents", "k", "rows"):
        if getattr(a, key) is not None:
            shape[key] = getattr(a, key)
    if min(shape["dims"]) < 1 or shape["rows"] < 1 or not 1 <= shape["k"] <= shape["latents"]:
        p.error(f"need widths >= 1, rows >= 1 and 1 <= k <= latents; got {shape}")
    if a.warmup < 1 or a.steps < 1:
        p.error(f"--warmup and --steps must be >= 1, got {a.warmup} and {a.steps}")
    if a.threads < 1:
        p.error(f"--threads must be >= 1, got {a.threads}")
    a.shape_name = a.shape if not (a.dims or a.latents or a.k or a.rows) else "custom"
    a.shape = shape
    return a


def load_upstream(upstream):
    if not (upstream / "universal_sae" / "train.py").is_file():
        unavailable(f"no clone of YorkUCVIL/UniversalSAE at {upstream} (git clone "
                    f"https://github.com/YorkUCVIL/UniversalSAE {upstream}; git -C {upstream} checkout 8bfee2b)")
    upstream_stubs.install_common()
    upstream_stubs.install_overcomplete(upstream / "overcomplete")
    upstream_stubs.install_universal_sae(upstream / "universal_sae")
    import universal_sae.train as train
    from overcomplete.sae.topk_sae import TopKSAE
    from overcomplete.sae.losses import top_k_auxiliary_loss_L1
    from overcomplete.sae.optimizer import CosineScheduler
    try:
        commit = subprocess.run(["git", "-C", str(upstream), "rev-parse", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return train, TopKSAE, top_k_auxiliary_loss_L1, CosineScheduler, commit


def peak_rss_bytes():
    """VmHWM of this process. Not getrusage's ru_maxrss: Linux keeps that across exec, so a peer
    started from the JVM would report the JVM's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class TimedBatches:
    """The data loader handed to the official loop: `total` batches cycled from a pool of two per
    model; records when batch `warmup` is requested (W steps done) and when the loop finds the end."""

    def __init__(self, pool, total, warmup, sync):
        self.pool, self.total, self.warmup, self.sync = pool, total, warmup, sync
        self.start = self.end = None

    def __len__(self):
        return self.total

    def __iter__(self):
        for q in range(self.total):
            if q == self.warmup:
                self.sync()
                self.start = time.perf_counter()
            print(f"step {q + 1}/{self.total}", file=sys.stderr, flush=True)
            yield self.pool[q % len(self.pool)], None
        self.sync()
        self.end = time.perf_counter()


def main(argv=None):
    a = parse_args(argv)
    try:
        import torch
    except ImportError as e:
        unavailable(f"torch is not importable by {sys.executable} ({e})")
    if a.device == "cuda" and not torch.cuda.is_available():
        unavailable(f"--device cuda but torch {torch.__version__} sees no CUDA device")
    torch.set_num_threads(a.threads)
    train, TopKSAE, criterion, CosineScheduler, commit = load_upstream(a.upstream)
    # the upstream base class prints a debug line per SAE on stdout; keep stdout for the JSON
    real_stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        result = run(a, torch, train, TopKSAE, criterion, CosineScheduler)
    finally:
        sys.stdout = real_stdout
    result.update(upstream_commit=commit, torch=torch.__version__, python=sys.version.split()[0])
    print(json.dumps(result))


def run(a, torch, train, TopKSAE, criterion, CosineScheduler):
    s = a.shape
    names = [f"m{i}" for i in range(len(s["dims"]))]
    torch.manual_seed(a.seed)
    rows = s["rows"]
    # [images x tokens x d], as the loop's rearrange expects
    lead = (rows // TOKENS_PER_IMAGE, TOKENS_PER_IMAGE) if rows % TOKENS_PER_IMAGE == 0 else (1, rows)
    pool = []
    for _ in range(2):
        batch = {n: torch.randn(*lead, d) for n, d in zip(names, s["dims"])}
        if a.device == "cuda":
            batch = {n: t.pin_memory() for n, t in batch.items()}
        pool.append(batch)
    total = a.warmup + a.steps
    saes, opts, scheds, zoo = {}, {}, {}, {}
    for n, d in zip(names, s["dims"]):
        # uni_demo.py: TopKSAE(d, n_components=m, top_k=k, encoder_module="mlp_bn_1", l2 dictionary)
        saes[n] = TopKSAE(d, n_components=s["latents"], top_k=s["k"], encoder_module="mlp_bn_1",
                          device=a.device)
        opts[n] = torch.optim.AdamW(saes[n].parameters(), lr=3e-4, weight_decay=1e-5)
        scheds[n] = CosineScheduler(opts[n], 3e-4, 1e-6, total, max(1, total // 30), 1e-6)
        zoo[n] = {}
    sync = torch.cuda.synchronize if a.device == "cuda" else (lambda: None)
    if a.device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    batches = TimedBatches(pool, total, a.warmup, sync)
    train.save_checkpoint = lambda *args, **kwargs: None   # after the last step; would write ./weights
    train.train_cross_prediction_saes(saes, batches, criterion, opts, scheds, zoo, nb_epochs=1, clip_grad=1.0,
                                      monitoring=0, device=a.device, seeded=True, model_name="peer")
    seconds = batches.end - batches.start
    result = dict(peer="YorkUCVIL/UniversalSAE universal_sae/train.py:train_cross_prediction_saes",
                  recipe="faithful", shape=a.shape_name, dims=s["dims"], latents=s["latents"], k=s["k"],
                  rows=rows, warmup=a.warmup, steps=a.steps, device=a.device, threads=a.threads,
                  seconds=seconds, ms_per_step=1000 * seconds / a.steps,
                  tokens_per_second=rows * a.steps / seconds,
                  peak_rss_bytes=peak_rss_bytes())
    if a.device == "cuda":
        result["cuda_device"] = torch.cuda.get_device_name()
        result["cuda_peak_allocated_bytes"] = torch.cuda.max_memory_allocated()
    return result


if __name__ == "__main__":
    main()
