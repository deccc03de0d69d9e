#!/usr/bin/env bash
# Side-by-side with progenitor on one spec (default: progenitor's own nexus.json), same machine,
# same run: generation time and peak memory, generated lines per operation, and the time to
# compile the generated code alone after touching it, the four ways a user meets it (`cargo build`
# and `cargo check`, incremental off and on), dependencies already built.
#
#   benches/compare.sh [SPEC]          # ROUNDS=5 by default; ROUNDS=3 benches/compare.sh for a quick look
#
# It installs the pinned cargo-progenitor into target/compare/tools when missing (a registry
# download, about 3 minutes the first time), writes a scratch workspace of two crates in
# target/compare (progenitor's crate as it generates it; ours, a crate whose lib.rs is our
# generated file, depending on this repository's runtime with no vendor feature), builds their
# dependencies once, then times each way in alternating pairs (progenitor, ours, progenitor, ...)
# and reports medians and the ratio ours / progenitor. Prints a Markdown table; the same text is
# kept in target/compare/report.md. docs/BENCHMARKS.md holds the latest output.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PROGENITOR_VERSION=0.15.1
SPEC=${1:-../shared/corpus/progenitor/nexus.json}
ROUNDS=${ROUNDS:-5}
WORK=${COMPARE_DIR:-$ROOT/target/compare}

if [ ! -f "$SPEC" ]; then
  echo "compare.sh: spec $SPEC not found (nexus.json is in ../shared/corpus/progenitor)" >&2
  exit 1
fi
SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
mkdir -p "$WORK"
export CARGO_TARGET_DIR="$WORK/target"

# -- tools ---------------------------------------------------------------------------------------
PROGENITOR="$WORK/tools/bin/cargo-progenitor"
if ! cargo install --list --root "$WORK/tools" 2>/dev/null | grep -q "^cargo-progenitor v$PROGENITOR_VERSION:"; then
  echo "installing cargo-progenitor $PROGENITOR_VERSION into $WORK/tools" >&2
  cargo install --quiet --force --locked --version "$PROGENITOR_VERSION" --root "$WORK/tools" cargo-progenitor
fi
echo "building vendor-clients-codegen (release)" >&2
cargo build --quiet --release -p vendor-clients-codegen --manifest-path "$ROOT/Cargo.toml"
OURS_GEN="$CARGO_TARGET_DIR/release/vendor-clients-codegen"

if [ -x /usr/bin/time ]; then TIMER=(/usr/bin/time -f "%e %M" -o "$WORK/time.out"); else TIMER=(); fi

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Runs "$@" quietly and prints "seconds peak-KiB" (peak 0 when /usr/bin/time is missing).
timed() {
  if [ ${#TIMER[@]} -gt 0 ]; then
    "${TIMER[@]}" "$@" >/dev/null 2>"$WORK/cmd.err" || { cat "$WORK/cmd.err" >&2; return 1; }
    cat "$WORK/time.out"
  else
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$WORK/cmd.err" || { cat "$WORK/cmd.err" >&2; return 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f 0\n", e - s }'
  fi
}

# -- the scratch workspace -----------------------------------------------------------------------
cd "$WORK"
cat > Cargo.toml <<EOF
[workspace]
members = ["prog", "ours"]
resolver = "2"
EOF
mkdir -p ours/src
cat > ours/Cargo.toml <<EOF
[package]
name = "compare-ours"
version = "0.1.0"
edition = "2021"

[dependencies]
vendor-clients = { path = "$ROOT", default-features = false }

[features]
# The generated fake (\`mock\` module) compiles only with this; off here, as in a user's build.
mock = ["vendor-clients/mock"]
EOF

# -- generation ----------------------------------------------------------------------------------
echo "generating $(basename "$SPEC") with both, $ROUNDS times each" >&2
: > gen_prog.txt
: > gen_ours.txt
for _ in $(seq "$ROUNDS"); do
  rm -rf prog.new
  timed "$PROGENITOR" progenitor -i "$SPEC" -o prog.new -n compare-prog -v 0.1.0 >> gen_prog.txt
  timed "$OURS_GEN" generate --spec "$SPEC" --out ours/src/lib.rs >> gen_ours.txt
done
# Keep progenitor's crate only when it changed, so its dependencies are not rebuilt for nothing.
if ! diff -rq prog.new prog >/dev/null 2>&1; then rm -rf prog && mv prog.new prog; else rm -rf prog.new; fi
# progenitor names the crate's package; the workspace needs nothing else from it.

ops=$(grep -c '#\[::vendor_clients::endpoint' ours/src/lib.rs || true)
lines_prog=$(cat prog/src/*.rs | wc -l)
lines_ours=$(wc -l < ours/src/lib.rs)
mock_at=$(grep -n '^::vendor_clients::__mock_module! {' ours/src/lib.rs | cut -d: -f1 || true)
if [ -n "$mock_at" ]; then lines_client=$((mock_at - 2)); else lines_client=$lines_ours; fi

# -- compiling -----------------------------------------------------------------------------------
echo "building dependencies" >&2
# Each crate alone, as it is timed below (features are unified per command).
for crate in prog ours; do
  for cmd in build check; do
    cargo "$cmd" --quiet -p "compare-$crate" 2>/dev/null || cargo "$cmd" -p "compare-$crate"
  done
done

declare -A MED
for way in "build 0" "check 0" "build 1" "check 1"; do
  set -- $way
  cmd=$1 inc=$2
  : > "c_${cmd}_${inc}_prog.txt"
  : > "c_${cmd}_${inc}_ours.txt"
  # One untimed build each with this setting: switching CARGO_INCREMENTAL is itself a change.
  for crate in prog ours; do
    touch "$crate/src/lib.rs"
    CARGO_INCREMENTAL=$inc cargo "$cmd" --quiet -p "compare-$crate" 2>/dev/null
  done
  echo "timing cargo $cmd, incremental $inc: $ROUNDS pairs" >&2
  for _ in $(seq "$ROUNDS"); do
    for crate in prog ours; do
      touch "$crate/src/lib.rs"
      CARGO_INCREMENTAL=$inc timed cargo "$cmd" --quiet -p "compare-$crate" >> "c_${cmd}_${inc}_${crate}.txt"
    done
  done
  for crate in prog ours; do
    MED[${cmd}_${inc}_${crate}]=$(cut -d' ' -f1 "c_${cmd}_${inc}_${crate}.txt" | median)
  done
done

gp=$(cut -d' ' -f1 gen_prog.txt | median)
go=$(cut -d' ' -f1 gen_ours.txt | median)
mp=$(cut -d' ' -f2 gen_prog.txt | median)
mo=$(cut -d' ' -f2 gen_ours.txt | median)
lpo_prog=$(awk -v l="$lines_prog" -v o="$ops" 'BEGIN { printf "%.1f", l / o }')
lpo_ours=$(awk -v l="$lines_client" -v o="$ops" 'BEGIN { printf "%.1f", l / o }')
lpo_all=$(awk -v l="$lines_ours" -v o="$ops" 'BEGIN { printf "%.1f", l / o }')

{
  echo "$(basename "$SPEC"), $ops operations; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "$(rustc --version); cargo-progenitor $PROGENITOR_VERSION; medians of $ROUNDS alternating runs."
  echo
  echo "| what | progenitor | vendor-clients | ratio |"
  echo "|---|---:|---:|---:|"
  echo "| generation, wall (s) | $gp | $go | $(ratio "$go" "$gp") |"
  echo "| generation, peak RSS (KiB) | $mp | $mo | $(ratio "$mo" "$mp") |"
  echo "| generated lines | $lines_prog | $lines_client (+ $((lines_ours - lines_client)) in the \`mock\` module) | $(ratio "$lines_client" "$lines_prog") |"
  echo "| lines per operation | $lpo_prog | $lpo_ours ($lpo_all with \`mock\`) | $(ratio "$lpo_ours" "$lpo_prog") |"
  for way in "build 0" "check 0" "build 1" "check 1"; do
    set -- $way
    name="cargo $1, incremental $([ "$2" = 1 ] && echo on || echo off), after touching (s)"
    echo "| $name | ${MED[${1}_${2}_prog]} | ${MED[${1}_${2}_ours]} | $(ratio "${MED[${1}_${2}_ours]}" "${MED[${1}_${2}_prog]}") |"
  done
} | tee report.md
