#!/usr/bin/env bash
# Training throughput of two already built trees (e.g. a `git worktree` of an old commit after `mvn -o -DskipTests
# install`, and this one), in ABBA order so that a trend in the machine's load falls on both equally.
#   usage: tools/throughput-abba.sh TREE_A TREE_B ROUNDS RECIPE STEPS
# Prints tokens/s of the cpu engine on the small shape per round. Short runs (tens of steps) also time the JIT's
# warm-up, which depends on how much code the hot methods hold; use a few hundred steps for the steady state.
set -euo pipefail
out="$(mktemp)"
trap 'rm -f "$out" "$out.json"' EXIT
bench() {
  java -Xmx8g --add-modules jdk.incubator.vector -cp "$1/examples/target/usae-cli.jar:$1/examples/target/lib/*" \
    org.tribuo.usae.cli.Usae bench --throughput --shape small --engines cpu --recipes "$2" --warmup 2 --steps "$3" \
    -o "$out" --json "$out.json" 2>/dev/null >/dev/null
  awk -F'|' '$4 ~ /cpu/ && $3 !~ /recipe/ {gsub(/ /,"",$8); print $8; exit}' "$out"
}
for r in $(seq 1 "$3"); do
  if (( r % 2 )); then a=$(bench "$1" "$4" "$5"); b=$(bench "$2" "$4" "$5"); else b=$(bench "$2" "$4" "$5"); a=$(bench "$1" "$4" "$5"); fi
  echo "round $r: A $a  B $b"
done
