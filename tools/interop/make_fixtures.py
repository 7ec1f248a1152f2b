#!/usr/bin/python3
"""Import fixtures: tiny checkpoints saved by the OFFICIAL USAE and SPARC code, with their forward outputs.

Writes under tribuo-usae/src/test/resources/interop/:
  official-usae/uni_<model>_checkpoint_3.pth  universal_sae/train.py:save_checkpoint of overcomplete's
                                              TopKSAE(encoder_module="mlp_bn_1") after one AdamW step
  official-usae/config.yaml                   the official config layout (sae_params.top_k, model_zoo means/stds)
  official-usae/expected/<model>/input.npy    raw rows [R x d]
  official-usae/expected/<model>/codes.npy    eval-mode dense codes of the standardised rows [R x m]
  official-usae/expected/<model>/indices.npy  their top-k indices [R x k] (int64, sorted per row)
  official-usae/expected/<src>_to_<tgt>.npy   sae_tgt.decode(codes_src), standardised space [R x d_tgt]
  sparc/sparc_state_dict.pth                  torch.save(MultiStreamSparseAutoencoder.state_dict()), as main.py
  sparc/expected/...                          the same names from SPARC's forward (global TopK, no standardisation)

Run from the worktree root with the upstream code unpacked under third_party/ (tools/golden/README.md says how)
and Debian's python3-torch:  /usr/bin/python3 tools/interop/make_fixtures.py
"""
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
TP = ROOT / "third_party"
OUT = ROOT / "tribuo-usae" / "src" / "test" / "resources" / "interop"
sys.path.insert(0, str(ROOT / "tools"))
import upstream_stubs  # noqa: E402

NAMES = ["alpha", "beta", "gamma"]
DIMS = [8, 6, 10]
M = 24
K = 4
ROWS = 16
EPOCH = 3


def save(rel, a):
    a = np.asarray(a)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    p = OUT / (rel + ".npy")
    p.parent.mkdir(parents=True, exist_ok=True)
    np.save(p, np.ascontiguousarray(a))


def official():
    upstream_stubs.install_common()
    upstream_stubs.install_overcomplete(TP / "usae" / "overcomplete")
    upstream_stubs.install_universal_sae(TP / "usae" / "universal_sae")
    from overcomplete.sae.topk_sae import TopKSAE
    from universal_sae.train import save_checkpoint

    torch.manual_seed(7)
    g = np.random.default_rng(7)
    means = [float(v) for v in g.normal(0, 0.5, 3)]
    stds = [float(v) for v in g.uniform(0.5, 3.0, 3)]
    saes = {}
    for n, d, mu, sd in zip(NAMES, DIMS, means, stds):
        sae = TopKSAE(d, n_components=M, top_k=K, encoder_module="mlp_bn_1", device="cpu")
        opt = torch.optim.AdamW(sae.parameters(), lr=3e-4, weight_decay=1e-5)
        with torch.no_grad():
            bn = sae.encoder.final_block[1]
            bn.weight.copy_(1 + 0.2 * torch.randn(M))
            bn.bias.copy_(0.2 * torch.randn(M))
        # one training step: BatchNorm running statistics move and the optimiser holds state
        x = torch.tensor(g.standard_normal((64, d)).astype(np.float32))
        sae.train()
        _, z, x_hat = sae(x)
        loss = ((x - x_hat) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sae.eval()
        saes[n] = sae
        path = OUT / "official-usae" / f"uni_{n}_checkpoint_{EPOCH}.pth"
        save_checkpoint(model=sae, optimizer=opt, epoch=EPOCH, lr=opt.param_groups[0]["lr"], path=str(path))
    with open(OUT / "official-usae" / "config.yaml", "w") as f:
        f.write("global:\n  standardize: true\n  exp_factor: 3\nsae_params:\n  encoder_module: mlp_bn_1\n"
                "  dictionary_normalization: l2\n  top_k: %d\nmodel_zoo:\n" % K)
        for n, d, mu, sd in zip(NAMES, DIMS, means, stds):
            f.write(f"  {n}:\n    checkpoint_path: uni_{n}_checkpoint_{EPOCH}.pth\n    input_shape: {d}\n"
                    f"    model_mean: {mu!r}\n    model_std: {sd!r}\n")
    codes = {}
    with torch.no_grad():
        for n, d, mu, sd in zip(NAMES, DIMS, means, stds):
            raw = torch.tensor((mu + sd * g.standard_normal((ROWS, d))).astype(np.float32))
            x = (raw - mu) / (sd + 1e-5)
            _, z = saes[n].encode(x)
            codes[n] = z
            save(f"official-usae/expected/{n}/input", raw.numpy())
            save(f"official-usae/expected/{n}/codes", z.numpy())
            save(f"official-usae/expected/{n}/indices", torch.sort(torch.topk(z, K).indices, dim=1).values.numpy())
        for s in NAMES:
            for t in NAMES:
                save(f"official-usae/expected/{s}_to_{t}", saes[t].decode(codes[s]).numpy())


def sparc():
    upstream_stubs.package("sparc", TP / "sparc" / "sparc")
    upstream_stubs.package("sparc.model", TP / "sparc" / "sparc" / "model")
    upstream_stubs.stub("sparc.kernels", TritonDecoderAutograd=None)
    from sparc.model.model_global import MultiStreamSparseAutoencoder

    torch.manual_seed(11)
    g = np.random.default_rng(11)
    model = MultiStreamSparseAutoencoder(dict(zip(NAMES, DIMS)), n_latents=M, k=K, auxk=2)
    with torch.no_grad():
        for n in NAMES:
            model.pre_biases[n].copy_(0.3 * torch.randn(model.pre_biases[n].shape))
            model.latent_biases[n].copy_(0.2 * torch.randn(M))
    path = OUT / "sparc" / "sparc_state_dict.pth"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path)
    model.eval()
    with torch.no_grad():
        inputs = {n: torch.tensor(g.standard_normal((ROWS, d)).astype(np.float32)) for n, d in zip(NAMES, DIMS)}
        out = model(inputs)
        for n in NAMES:
            z = out[f"sparse_codes_{n}"]
            save(f"sparc/expected/{n}/input", inputs[n].numpy())
            save(f"sparc/expected/{n}/codes", z.numpy())
            save(f"sparc/expected/{n}/indices", torch.sort(out["shared_indices"], dim=1).values.numpy())
        for s in NAMES:
            for t in NAMES:
                key = f"recon_{t}" if s == t else f"cross_recon_{t}_from_{s}"
                save(f"sparc/expected/{s}_to_{t}", out[key].numpy())


if __name__ == "__main__":
    torch.set_num_threads(1)
    official()
    sparc()
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {OUT} ({total} bytes); torch {torch.__version__}")
