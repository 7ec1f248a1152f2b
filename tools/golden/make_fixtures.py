#!/usr/bin/python3
"""Golden-parity fixtures: a few training steps of the OFFICIAL USAE code and of SPARC's code.

Runs the upstream classes unpacked (never committed) under <repo>/third_party/ and writes small
float32 / int64 .npy files under tribuo-usae/src/test/resources/golden/{usae,sparc}/, which the
Java tests GoldenUsaeTest and GoldenSparcTest replay through ReferenceEngine/CpuEngine +
ParameterUpdate. See tools/golden/README.md for the exact commands.

Every array is rank 2 (vectors [1 x n], scalars [1 x 1]) because the Java Npy reader only reads
rank-2 arrays. Tensor names follow org.tribuo.usae.sae.ModelParameters:
  encoder.weight [m x d], encoder.bias [m], bn.weight, bn.bias, bn.running_mean, bn.running_var,
  bn.num_batches_tracked (int64), input_bias [d] (SPARC pre-bias = decoder bias),
  dictionary [m x d] (official dictionary._weights; SPARC decoder.weight TRANSPOSED).
Optimiser state: exp_avg.<name>, exp_avg_sq.<name>, adam_step.<name> (int64; 0 = never stepped).
"""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TP = ROOT / "third_party"
OUT = ROOT / "tribuo-usae" / "src" / "test" / "resources" / "golden"

N_ROWS = 64
DIMS = [8, 6, 10]
NAMES = ["m0", "m1", "m2"]
M = 24
K = 4
SEED = 1234


# ---------------------------------------------------------------- stubs for off-path imports
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import upstream_stubs  # noqa: E402  (tools/upstream_stubs.py, shared with tools/peer/)


def install_stubs():
    upstream_stubs.install_common()
    # overcomplete: run sae/{base,dictionary,factory,modules,topk_sae,losses,optimizer}.py for real
    upstream_stubs.install_overcomplete(TP / "usae" / "overcomplete")
    # SPARC: sparc/{loss,model/model_global,model/utils}.py for real; kernels is Triton (not on the
    # dense-decoder path used here, use_sparse_decoder=False)
    upstream_stubs.package("sparc", TP / "sparc" / "sparc")
    upstream_stubs.package("sparc.model", TP / "sparc" / "sparc" / "model")
    upstream_stubs.stub("sparc.kernels", TritonDecoderAutograd=None)


# ---------------------------------------------------------------- writing
class Writer:
    def __init__(self, root):
        self.root = Path(root)
        self.bytes = 0

    def f32(self, rel, a):
        a = np.asarray(a, dtype=np.float32)
        self._save(rel, a)

    def i64(self, rel, a):
        a = np.asarray(a, dtype=np.int64)
        self._save(rel, a)

    def _save(self, rel, a):
        if a.ndim == 0:
            a = a.reshape(1, 1)
        elif a.ndim == 1:
            a = a.reshape(1, -1)
        assert a.ndim == 2, rel
        p = self.root / (rel + ".npy")
        p.parent.mkdir(parents=True, exist_ok=True)
        np.save(p, np.ascontiguousarray(a))
        self.bytes += p.stat().st_size


def t2n(t):
    return t.detach().cpu().numpy()


def sparse_codes(z, k):
    """Dense [n x m] codes -> values [n x k], indices [n x k] sorted by index per row (ties in
    TopK order are irrelevant, so a canonical order is used)."""
    z = t2n(z)
    idx = np.argsort(-np.abs(z), axis=1, kind="stable")[:, :k]
    idx = np.sort(idx, axis=1)
    return np.take_along_axis(z, idx, axis=1), idx


# ---------------------------------------------------------------- official USAE
USAE_SOURCES = [1, 0, 2, 1]
USAE_TOTAL, USAE_WARMUP = 6, 3


def make_usae(torch):
    from overcomplete.sae.topk_sae import TopKSAE
    from overcomplete.sae.losses import top_k_auxiliary_loss_L1
    from overcomplete.sae.optimizer import CosineScheduler

    w = Writer(OUT / "usae")
    torch.manual_seed(SEED)
    g = np.random.default_rng(SEED)
    # inputs already standardised (mu = 0, sigma + 1e-5 = 1): the Java test feeds them unchanged
    xs = [torch.tensor(g.standard_normal((N_ROWS, d)).astype(np.float32)) for d in DIMS]
    for n, x in zip(NAMES, xs):
        w.f32(f"input/{n}", x)

    saes, opts, scheds = {}, {}, {}
    for n, d in zip(NAMES, DIMS):
        # config.yaml: encoder_module mlp_bn_1, dictionary_normalization l2, no initializer
        sae = TopKSAE(d, n_components=M, top_k=K, encoder_module="mlp_bn_1", device="cpu")
        with torch.no_grad():  # non-trivial BN affine so its gradients matter
            bn = sae.encoder.final_block[1]
            bn.weight.copy_(1 + 0.1 * torch.randn(M))
            bn.bias.copy_(0.1 * torch.randn(M))
        saes[n] = sae
        # uni_demo.py: AdamW(lr=3e-4, weight_decay=1e-5); CosineScheduler(base, final, total, warmup, start)
        opts[n] = torch.optim.AdamW(sae.parameters(), lr=3e-4, weight_decay=1e-5)
        scheds[n] = CosineScheduler(opts[n], 3e-4, 1e-6, USAE_TOTAL, USAE_WARMUP, 1e-6)

    def named(sae):
        enc, bn = sae.encoder.final_block[0], sae.encoder.final_block[1]
        return {"encoder.weight": enc.weight, "encoder.bias": enc.bias, "bn.weight": bn.weight,
                "bn.bias": bn.bias, "dictionary": sae.dictionary._weights}

    def dump(step, only=None):
        # after a step only the source model's state can change (the test checks the others are
        # unchanged against their last dumped state); this keeps the fixtures small
        for n in (NAMES if only is None else [only]):
            sae, opt = saes[n], opts[n]
            bn = sae.encoder.final_block[1]
            base = f"step{step}/{n}/"
            for tn, p in named(sae).items():
                w.f32(base + tn, t2n(p))
                st = opt.state.get(p, {})
                w.f32(base + "exp_avg." + tn, t2n(st["exp_avg"]) if st else np.zeros(p.shape))
                w.f32(base + "exp_avg_sq." + tn, t2n(st["exp_avg_sq"]) if st else np.zeros(p.shape))
                w.i64(base + "adam_step." + tn, int(st["step"]) if st else 0)
            w.f32(base + "bn.running_mean", t2n(bn.running_mean))
            w.f32(base + "bn.running_var", t2n(bn.running_var))
            w.i64(base + "bn.num_batches_tracked", int(bn.num_batches_tracked))

    dump(0)
    keys = NAMES
    for sae in saes.values():
        sae.train()
    for step, i in enumerate(USAE_SOURCES):
        # ---- loop body of universal_sae/train.py:train_cross_prediction_saes (monitoring off) ----
        model_i = keys[i]
        lr_used = float(opts[model_i].param_groups[0]["lr"])
        opts[model_i].zero_grad()
        A_i = xs[i]
        z_pre, z_i = saes[model_i].encode(A_i)
        loss = 0.0
        for j, model in enumerate(saes.keys()):
            A = A_i if model == model_i else xs[j]
            A_hat = saes[model].decode(z_i)
            loss += top_k_auxiliary_loss_L1(A, A_hat, z_pre, z_i, saes[model].get_dictionary()) * 1
        loss.backward()
        for sae in saes.values():
            torch.nn.utils.clip_grad_norm_(sae.parameters(), 1.0)
        opts[model_i].step()
        scheds[model_i].step()
        # ---- end of loop body ----
        base = f"step{step + 1}/"
        w.i64(base + "source", i)
        w.f32(base + "lr", lr_used)
        w.f32(base + "loss", float(loss))
        vals, idx = sparse_codes(z_i, K)
        w.f32(base + "codes_values", vals)
        w.i64(base + "codes_indices", idx)
        dump(step + 1, only=model_i)

    # eval-mode codes (BN running statistics) of the final parameters, per model on its own rows
    with torch.no_grad():
        for n, x in zip(NAMES, xs):
            saes[n].eval()
            _, z = saes[n].encode(x)
            vals, idx = sparse_codes(z, K)
            w.f32(f"eval/{n}/codes_values", vals)
            w.i64(f"eval/{n}/codes_indices", idx)
    w.i64("meta", [len(USAE_SOURCES), N_ROWS, M, K, USAE_TOTAL, USAE_WARMUP])
    return w.bytes


# ---------------------------------------------------------------- SPARC
SPARC_STEPS = 4
SPARC_AUXK = 4
SPARC_DEAD = 1          # dead_steps_threshold (AuxK mask) = dead_neuron_threshold (re-init)
SPARC_REINIT_EVERY = 2  # SPARC's train_loop hard-codes `global_step % 100 == 0`; 2 makes it fire
SPARC_AUXK_THRESHOLD = 1e-3
SPARC_LR = 1e-4


def make_sparc(torch):
    from sparc.model.model_global import MultiStreamSparseAutoencoder
    from sparc.model.utils import unit_norm_decoder_, unit_norm_decoder_grad_adjustment_

    w = Writer(OUT / "sparc")
    torch.manual_seed(SEED + 1)
    g = np.random.default_rng(SEED + 1)
    xs = {n: torch.tensor(g.standard_normal((N_ROWS, d)).astype(np.float32)) for n, d in zip(NAMES, DIMS)}
    for n in NAMES:
        w.f32(f"input/{n}", xs[n])

    model = MultiStreamSparseAutoencoder(dict(zip(NAMES, DIMS)), n_latents=M, k=K, auxk=SPARC_AUXK,
                                         auxk_threshold=SPARC_AUXK_THRESHOLD,
                                         dead_steps_threshold=SPARC_DEAD, use_sparse_decoder=False)
    with torch.no_grad():
        # Non-zero biases so their gradients matter, and latents 18..23 made "dead": positive in
        # stream m0 (so AuxK has positive candidates there), too negative in the sum to win the
        # global TopK. Decoders keep SPARC's tied, unit-norm init.
        for s, n in enumerate(NAMES):
            model.pre_biases[n].copy_(0.1 * torch.randn(DIMS[s]))
            lb = 0.1 * torch.randn(M)
            lb[18:] += [1.5, -6.0, 1.0][s]
            model.latent_biases[n].copy_(lb)
    # main.py: optim.Adam(model.parameters(), lr=args.lr, eps=1e-8)
    opt = torch.optim.Adam(model.parameters(), lr=SPARC_LR, eps=1e-8)

    def named(n):
        return {"encoder.weight": model.encoders[n].weight, "encoder.bias": model.latent_biases[n],
                "input_bias": model.pre_biases[n], "dictionary": model.decoders[n].weight}

    def dump(step):
        for n in NAMES:
            base = f"step{step}/{n}/"
            for tn, p in named(n).items():
                tr = (lambda a: a.T) if tn == "dictionary" else (lambda a: a)
                w.f32(base + tn, tr(t2n(p)))
                st = opt.state.get(p, {})
                w.f32(base + "exp_avg." + tn, tr(t2n(st["exp_avg"])) if st else np.zeros(tr(p).shape))
                w.f32(base + "exp_avg_sq." + tn, tr(t2n(st["exp_avg_sq"])) if st else np.zeros(tr(p).shape))
                w.i64(base + "adam_step." + tn, int(st["step"]) if st else 0)
            w.i64(base + "stats_last_nonzero", t2n(getattr(model, f"stats_last_nonzero_{n}")))

    dump(0)
    model.train()
    inputs = xs
    for global_step in range(SPARC_STEPS):
        # ---- loop body of sparc/train.py:train_loop (logging removed) ----
        opt.zero_grad()
        output = model(inputs)
        loss, metrics = model.compute_loss(output, inputs, 1 / 32, 1.0)
        loss.backward()
        for stream in model.streams:
            dec = model.decoders[stream]
            unit_norm_decoder_(dec)
            unit_norm_decoder_grad_adjustment_(dec)
        opt.step()
        reinit = {n: np.zeros(M, dtype=np.int64) for n in NAMES}
        if global_step % SPARC_REINIT_EVERY == 0:
            dead = model.get_dead_neurons(SPARC_DEAD)
            if any(v.sum().item() > 0 for v in dead.values()):
                with torch.no_grad():
                    for stream, mask in dead.items():
                        if mask.any():
                            enc = model.encoders[stream]
                            lat_b = model.latent_biases[stream]
                            enc.weight.data[mask] = torch.randn_like(enc.weight.data[mask]) * 0.01
                            lat_b.data[mask] = torch.zeros_like(lat_b.data[mask])
                            getattr(model, f"stats_last_nonzero_{stream}")[mask] = 0
                            reinit[stream] = t2n(mask).astype(np.int64)
        # ---- end of loop body ----
        base = f"step{global_step + 1}/"
        w.f32(base + "loss", float(loss))
        w.f32(base + "auxk_loss", float(metrics.get("avg_auxk_loss", torch.tensor(0.0))))
        w.i64(base + "shared_indices", np.sort(t2n(output["shared_indices"]), axis=1))
        for n in NAMES:
            w.i64(base + f"{n}/reinit", reinit[n])
            idx = np.sort(t2n(output["shared_indices"]), axis=1)
            w.f32(base + f"{n}/codes_values", np.take_along_axis(t2n(output[f"sparse_codes_{n}"]), idx, axis=1))
        dump(global_step + 1)
    w.i64("meta", [SPARC_STEPS, N_ROWS, M, K, SPARC_AUXK, SPARC_DEAD, SPARC_REINIT_EVERY])
    return w.bytes


def main():
    install_stubs()
    import torch
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    import shutil
    if OUT.exists():
        shutil.rmtree(OUT)
    nb = make_usae(torch) + make_sparc(torch)

    def head(gd):
        return subprocess.run(["git", "--git-dir", gd, "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    usae_git = os.environ.get("USAE_GIT", "/work/.mirror/YorkUCVIL+UniversalSAE/repo")
    sparc_git = os.environ.get("SPARC_GIT", "/work/.mirror/AtlasAnalyticsLab+SPARC/repo")
    (OUT / "UPSTREAM.txt").write_text(
        "Golden fixtures generated by tools/golden/make_fixtures.py (see tools/golden/README.md)\n"
        f"YorkUCVIL/UniversalSAE {head(usae_git)}\n"
        f"AtlasAnalyticsLab/SPARC {head(sparc_git)}\n"
        f"torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}\n"
        "command: /usr/bin/python3 tools/golden/make_fixtures.py\n")
    print(f"wrote {nb} bytes of .npy under {OUT}")


if __name__ == "__main__":
    main()
