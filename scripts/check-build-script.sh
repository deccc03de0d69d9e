#!/usr/bin/env bash
# Checks the promises of build.rs:
#  1. a no-op `cargo build` does not run the build script again;
#  2. an application taking one vendor compiles neither the generator nor clap;
#  3. by default a spec edited without regenerating generated/ fails the build, saying what to run;
#  4. with `--features regenerate`, a broken spec fails the build with the located diagnostic,
#     not a backtrace.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p vendor-clients
if cargo build -v -p vendor-clients 2>&1 | grep -E 'Running `[^`]*build-script-build`' ; then
  echo "FAIL: a no-op build ran the build script again (check its rerun-if-changed lines)" >&2
  exit 1
fi
echo "ok: no-op build did not rerun build.rs"

tree=$(cargo tree -q -p vendor-clients --no-default-features --features dxfeed -e normal,build --prefix none)
for heavy in vendor-clients-codegen clap openapiv3 prettyplease saphyr-parser; do
  if grep -q "^$heavy v" <<<"$tree"; then
    echo "FAIL: vendor-clients with one vendor feature depends on $heavy:" >&2
    cargo tree -q -p vendor-clients --no-default-features --features dxfeed -e normal,build -i "$heavy" >&2
    exit 1
  fi
done
echo "ok: one vendor feature pulls in no generator and no clap ($(sed 's/ (\*)$//; s/ (proc-macro)$//' <<<"$tree" | sort -u | wc -l) packages in its tree)"

# Copies of the package with one spec changed, built in the same target directory.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
copy() {
  rm -rf "$scratch/pkg"
  mkdir -p "$scratch/pkg"
  cp -r Cargo.toml Cargo.lock build.rs src specs generated codegen macros benches examples "$scratch/pkg"/
}

copy
sed -i 's|^  version: \(.*\)$|  version: \1-edited|' "$scratch/pkg/specs/dxfeed.yaml"
if CARGO_TARGET_DIR="$PWD/target" cargo build -q --manifest-path "$scratch/pkg/Cargo.toml" -p vendor-clients >"$scratch/out.txt" 2>&1; then
  echo "FAIL: a spec edited without regenerating generated/ did not fail the build" >&2
  exit 1
fi
if ! grep -q 'error: generated/dxfeed.rs was not generated from the current specs/dxfeed.yaml' "$scratch/out.txt" \
  || ! grep -q 'cargo run -p vendor-clients-codegen -- generate' "$scratch/out.txt"; then
  echo "FAIL: the build failed without saying the spec changed and what to run:" >&2
  cat "$scratch/out.txt" >&2
  exit 1
fi
echo "ok: an edited spec with a stale generated/ file fails the build, saying what to run"

copy
sed -i 's|\$ref: .#/components/schemas/Failure.|$ref: "#/components/schemas/Failur"|' "$scratch/pkg/specs/dxfeed.yaml"
if CARGO_TARGET_DIR="$PWD/target" cargo build -q --manifest-path "$scratch/pkg/Cargo.toml" -p vendor-clients --features regenerate >"$scratch/out.txt" 2>&1; then
  echo "FAIL: a broken spec did not fail the build" >&2
  exit 1
fi
if ! grep -q 'error: `$ref` target `#/components/schemas/Failur` does not exist' "$scratch/out.txt" \
  || ! grep -qE -- '--> specs/dxfeed.yaml:[0-9]+:[0-9]+' "$scratch/out.txt"; then
  echo "FAIL: the build failed without the located diagnostic:" >&2
  cat "$scratch/out.txt" >&2
  exit 1
fi
if grep -q 'panicked' "$scratch/out.txt"; then
  echo "FAIL: the build script panicked:" >&2
  cat "$scratch/out.txt" >&2
  exit 1
fi
echo "ok: with --features regenerate, a broken spec fails the build with a located diagnostic"
