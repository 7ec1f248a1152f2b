#!/usr/bin/env bash
# The "Real vision" recipe table of BENCHMARKS.md: each recipe on the tokens `./usae vision` extracted, at one
# token budget (600 steps x 256 tokens, m = 512, k = 16, the same random tenth of the images held out), then
# the held-out R2 (train), the concept statistics on the held-out tokens, the label metrics on all images
# (Jaccard by depth over the folder hierarchy, 1-D probes, purity) and the consistency with independent SAEs.
#   usage: tools/vision-benchmark.sh [DATA] [OUT]    (defaults: usae-vision/data, vision-bench)
# Run ./usae vision first (it extracts DATA). About 35 minutes on 2 cores (4 recipes, their baselines, the ceiling).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-usae-vision/data}"
out="${2:-vision-bench}"
usae="$root/usae"
budget=(--latents 512 -k 16 --steps 600 --batch-size 256 --hold-out 0.1)
run() {
  local name="$1"; shift
  echo "== $name" >&2
  "$usae" train -d "$data" -o "$out/$name" --overwrite "$@"
  "$usae" analyze -m "$out/$name" -d "$data" --json "$out/$name/held-out.json"
  "$usae" analyze -m "$out/$name" -d "$data" --rows all --hierarchy "$data/label_hierarchy.tsv" --min-positives 10 \
    --baselines --baseline-steps 600 --json "$out/$name/all-rows.json"
}
mkdir -p "$out"
# the vision job's own recipe (vision-trainer.xml), then the three recipes at their defaults and the same budget
run vision -c "$root/examples/src/main/resources/org/tribuo/usae/cli/vision-trainer.xml" --trainer vision-trainer
run aligned --recipe ALIGNED "${budget[@]}"
run sparc --recipe SPARC "${budget[@]}"
run faithful --recipe FAITHFUL "${budget[@]}"
"$usae" eval -m "$out/vision" -d "$data" --linear-ceiling --json "$out/linear-ceiling.json"
echo "wrote $out/<recipe>/{eval.txt,held-out.json,all-rows.json} and $out/linear-ceiling.json" >&2
