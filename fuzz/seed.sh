#!/bin/sh
# Fills fuzz/corpus/generate (not committed) with the vendor specs and the diagnostic cases, so
# the fuzzer starts from real OpenAPI documents instead of from nothing.
set -eu
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/generate
cp specs/*.yaml fuzz/corpus/generate/
for f in codegen/tests/diagnostics/cases/*.yaml; do
    [ -e "$f" ] && cp "$f" "fuzz/corpus/generate/case-$(basename "$f")"
done
echo "seeded $(ls fuzz/corpus/generate | wc -l) inputs into fuzz/corpus/generate"
