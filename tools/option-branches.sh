#!/usr/bin/env bash
# Counts the places outside the blocks that compare a recipe option with one of its values (issue 19's measure:
# "enum branches on recipe options outside the blocks"). A recipe option's enum names its block; code that asks
# `option == VALUE`, `switch (option)` or `case VALUE ->` on it instead of asking the block is what the renovation
# removes. Prints each line, then the count. Usage: tools/option-branches.sh [COMMIT] (default: the working tree).
set -euo pipefail
enums='SparsityKind|ReconstructionLoss|AuxLossKind|EncoderKind|DictionaryConstraint|SourceSelection|UpdateRule|BiasInit'
values='TOPK|GLOBAL_TOPK|HYBRID_TOPK|BATCH_TOPK|L1|L2|NMSE|HALF|DEAD_AUXK|NONE|BATCHNORM|AFFINE|ROW_NORMALIZED|UNIT_NORM_PROJECTED|RANDOM_ONE|ALL|SOURCE_ONLY|ALL_MODELS|ZERO|DATA_MEAN'
compare="((==|!=) *($enums)\.[A-Z0-9_]+\b|\b($enums)\.[A-Z0-9_]+ *(==|!=)|\? *($enums)\.|switch *\([^)]*(\.(aux|encoder|sparsity|reconstruction|dictionary|sources|updateRule|biasInit|loss)\(\)|\b(aux|encoder|sparsity|loss|dictionary|sources|updateRule|biasInit))\)|case ($values) *(->|:))"
paths=(tribuo-usae/src/main tribuo-usae-onnx/src/main examples/src/main)
if [ $# -ge 1 ]; then
  hits=$(git grep -nE "$compare" "$1" -- "${paths[@]/%//*.java}" | sed "s/^$1://" || true)
else
  hits=$(grep -rnE "$compare" --include=*.java "${paths[@]}" || true)
fi
# the blocks themselves (sae/) and the ORT graph's settings check, which refuses the options it does not implement by
# value in one line, are where such comparisons belong
hits=$(printf '%s\n' "$hits" | grep -v '^tribuo-usae/src/main/java/org/tribuo/usae/sae/' \
  | grep -v 'onnx/engine/StepSettings.java' | grep -vE '^\S+:[0-9]+:\s*(\*|//)' | sed '/^$/d' || true)
printf '%s\n' "$hits" | sed '/^$/d'
echo "count: $(printf '%s\n' "$hits" | sed '/^$/d' | wc -l)"
