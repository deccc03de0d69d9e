#!/bin/sh
# Fills fuzz/corpus/generate (not committed) with the vendor specs, the diagnostic cases and the
# published-spec cases (OpenAPI 3.1, Swagger 2.0), so
# the fuzzer starts from real OpenAPI documents instead of from nothing.
set -eu
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/generate
cp specs/*.yaml fuzz/corpus/generate/
for f in codegen/tests/diagnostics/cases/*.yaml; do
    [ -e "$f" ] && cp "$f" "fuzz/corpus/generate/case-$(basename "$f")"
done
# OpenAPI 3.1, Swagger 2.0 and published-spec slips (read by the target in both modes).
for f in codegen/tests/published/*.yaml; do
    [ -e "$f" ] && cp "$f" "fuzz/corpus/generate/published-$(basename "$f")"
done
echo "seeded $(ls fuzz/corpus/generate | wc -l) inputs into fuzz/corpus/generate"
