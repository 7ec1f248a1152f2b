#!/usr/bin/env bash
# Training throughput of the code at a base commit against the working tree, alternating runs on one machine
# (issue 19's speed check: a refactoring must keep `usae bench --throughput` within noise).
#   usage: tools/throughput-before-after.sh BASE_COMMIT [ROUNDS] [OUT]    (defaults: 2 rounds, throughput-ba)
#   environment: RECIPES (default faithful,sparc,aligned,fast,affine_fast), STEPS timed steps per run (default 8)
# Builds BASE_COMMIT's CLI in a temporary worktree (offline Maven) and this tree's, then runs the CPU engine on
# the small shape, every recipe both versions know, ROUNDS times each, before/after interleaved so that load
# from elsewhere falls on both. Writes OUT/{before,after}-N.md and prints tokens/s per recipe and run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${1:?usage: tools/throughput-before-after.sh BASE_COMMIT [ROUNDS] [OUT]}"
rounds="${2:-2}"
out="$(mkdir -p "${3:-throughput-ba}" && cd "${3:-throughput-ba}" && pwd)"
wt="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add -q --detach "$wt" "$base"
(cd "$wt" && mvn -o -B -q -DskipTests install >&2)
(cd "$root" && mvn -o -B -q -DskipTests install >&2)
bench() {
  java -Xmx8g --add-modules jdk.incubator.vector -cp "$1/examples/target/usae-cli.jar:$1/examples/target/lib/*" \
    org.tribuo.usae.cli.Usae bench --throughput --shape small --engines cpu \
    --recipes "${RECIPES:-faithful,sparc,aligned,fast,affine_fast}" --warmup 2 --steps "${STEPS:-8}" -o "$2" \
    2>/dev/null >/dev/null
}
for r in $(seq 1 "$rounds"); do
  bench "$wt" "$out/before-$r.md"
  bench "$root" "$out/after-$r.md"
done
printf '%-12s' recipe
for r in $(seq 1 "$rounds"); do printf ' %10s %10s' "before-$r" "after-$r"; done
echo "   (tokens/s, cpu engine, small shape)"
for recipe in $(echo "${RECIPES:-faithful,sparc,aligned,fast,affine_fast}" | tr 'a-z,' 'A-Z '); do
  printf '%-12s' "$recipe"
  for r in $(seq 1 "$rounds"); do
    for v in before after; do
      printf ' %10s' "$(awk -F'|' -v r="$recipe" '$3 ~ "^ *"r" *$" && $4 ~ /cpu/ {gsub(/ /,"",$8); print $8; exit}' "$out/$v-$r.md")"
    done
  done
  echo
done
