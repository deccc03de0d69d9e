#!/usr/bin/env bash
# Checks two promises of build.rs:
#  1. a no-op `cargo build` does not run the build script again;
#  2. a broken spec fails the build with the located diagnostic, not a backtrace.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p vendor-clients
if cargo build -v -p vendor-clients 2>&1 | grep -E 'Running `[^`]*build-script-build`' ; then
  echo "FAIL: a no-op build ran the build script again (check its rerun-if-changed lines)" >&2
  exit 1
fi
echo "ok: no-op build did not rerun build.rs"

# A copy of the package with one spec broken, built in the same target directory.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r Cargo.toml Cargo.lock build.rs src specs codegen macros benches "$scratch"/
sed -i 's|\$ref: .#/components/schemas/Failure.|$ref: "#/components/schemas/Failur"|' "$scratch/specs/dxfeed.yaml"
if CARGO_TARGET_DIR="$PWD/target" cargo build -q --manifest-path "$scratch/Cargo.toml" -p vendor-clients >"$scratch/out.txt" 2>&1; then
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
echo "ok: a broken spec fails the build with a located diagnostic"
