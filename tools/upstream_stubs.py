"""Stubs that let the official USAE (and SPARC) code run without its off-training-path imports.

Shared by tools/golden/make_fixtures.py (golden parity fixtures) and tools/peer/official_loop_bench.py
(the official training loop as a throughput peer). Only modules that the training step never
calls are replaced: experiment tracking (wandb), progress bars (tqdm), plotting (matplotlib),
scipy's Hungarian solver and overcomplete's sklearn wrappers. Upstream packages are registered
without running their __init__.py (which imports plotting, timm, sklearn, Triton); their
submodules then load from the real upstream files.
"""
import sys
import types


def stub(name, **attrs):
    """Registers an empty module `name` holding `attrs`; returns it."""
    mod = types.ModuleType(name)
    for k, v in attrs.items():
        setattr(mod, k, v)
    sys.modules[name] = mod
    return mod


def package(name, path):
    """Registers package `name` at `path` without running its __init__.py."""
    mod = types.ModuleType(name)
    mod.__path__ = [str(path)]
    sys.modules[name] = mod
    return mod


def _not_on_training_path(what):
    def fail(*args, **kwargs):
        raise RuntimeError(f"{what} is stubbed (not on the training path) but was called")
    return fail


def rearrange(tensor, pattern, **axes):
    """The one einops pattern the official training loop uses on its batches: (b, n, c) -> (b*n, c).
    Anything else fails loudly instead of computing something different from einops."""
    if " ".join(pattern.split()) != "b n c -> (b n) c" or axes:
        raise RuntimeError(f"einops stub supports only 'b n c -> (b n) c', got '{pattern}'")
    if tensor.dim() != 3:
        raise RuntimeError(f"'b n c -> (b n) c' needs a rank-3 tensor, got shape {tuple(tensor.shape)}")
    return tensor.reshape(-1, tensor.shape[-1])


def install_common():
    """Tracking, progress, plotting and scipy stubs."""
    stub("wandb", init=lambda *a, **k: None, log=lambda *a, **k: None, finish=lambda *a, **k: None)
    stub("tqdm", tqdm=lambda it, *a, **k: it)
    stub("einops", rearrange=rearrange)
    stub("matplotlib")
    stub("matplotlib.pyplot")
    # overcomplete/metrics.py imports scipy's Hungarian solver (only its cosine_hungarian_loss uses it)
    stub("scipy")
    stub("scipy.optimize", linear_sum_assignment=_not_on_training_path("scipy.optimize.linear_sum_assignment"))


def install_overcomplete(overcomplete_dir):
    """overcomplete/sae/{base,dictionary,factory,modules,topk_sae,losses,optimizer}.py run for real."""
    package("overcomplete", overcomplete_dir)
    sk = {n: type(n, (), {}) for n in ["SkPCA", "SkICA", "SkNMF", "SkKMeans", "SkDictionaryLearning",
                                       "SkSparsePCA", "SkSVD"]}
    stub("overcomplete.optimization", **sk)
    package("overcomplete.sae", overcomplete_dir / "sae")


def install_universal_sae(universal_sae_dir):
    """universal_sae/train.py runs for real; uni_analysis (plotting, timm feature extraction) is
    replaced by its two names train.py imports: plot_reconstruction_matrix (monitoring only) and
    interpolate_patch_tokens (only for models named DinoV2 or CLIP, which the peer does not use)."""
    package("universal_sae", universal_sae_dir)
    stub("universal_sae.uni_analysis",
         plot_reconstruction_matrix=_not_on_training_path("plot_reconstruction_matrix"),
         interpolate_patch_tokens=_not_on_training_path("interpolate_patch_tokens"))
