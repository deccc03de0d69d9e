#!/bin/sh
# Fills fuzz/corpus/generate (not committed) with real OpenAPI documents to start from: the vendor
# specs, the diagnostic cases, the published-spec cases (OpenAPI 3.1, Swagger 2.0), the hostile
# fixtures (prelude names, recursive aliases, keywords, path characters, hostile descriptions),
# and made-up inputs for the reader and the linear-time paths: a long $ref chain, a byte-order
# mark, UTF-16 in both byte orders, a Latin-1 byte.
set -eu
cd "$(dirname "$0")/.."
out=fuzz/corpus/generate
mkdir -p "$out"
cp specs/*.yaml "$out/"
for f in codegen/tests/diagnostics/cases/*.yaml; do
    [ -e "$f" ] && cp "$f" "$out/case-$(basename "$f")"
done
# OpenAPI 3.1, Swagger 2.0 and published-spec slips (read by the target in both modes).
for f in codegen/tests/published/*.yaml; do
    [ -e "$f" ] && cp "$f" "$out/published-$(basename "$f")"
done
for f in tests/fixtures/hostile/*.yaml; do
    [ -e "$f" ] && cp "$f" "$out/hostile-$(basename "$f")"
done
base=tests/fixtures/hostile/prelude_names.yaml
# A chain of 2,000 aliases, each a $ref to the next.
{
    printf 'openapi: 3.0.3\ninfo: {title: chain, version: "1"}\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/S0"}\ncomponents:\n  schemas:\n'
    i=0
    while [ $i -lt 2000 ]; do
        printf '    S%d: {$ref: "#/components/schemas/S%d"}\n' $i $((i + 1))
        i=$((i + 1))
    done
    printf '    S2000: {type: string}\n'
} > "$out/chain-2000.yaml"
{ printf '\357\273\277'; cat "$base"; } > "$out/bom.yaml"
if command -v iconv >/dev/null 2>&1; then
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$base"; } > "$out/utf16le.yaml"
    { printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$base"; } > "$out/utf16be.yaml"
fi
{ cat "$base"; printf 'x-latin1: "caf\351"\n'; } > "$out/latin1.yaml"
echo "seeded $(ls "$out" | wc -l) inputs into $out"
