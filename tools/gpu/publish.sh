#!/usr/bin/env bash
# Publishes the `dino` CLI as one self-contained linux-x64 file into artifacts/gpu-check/ (ignored by git),
# small enough for the device tool to carry (its limit is 64 MiB for all carried paths together).
# Run it HERE (the machine with .NET), then give the device tool `carry: ["artifacts/gpu-check"]`.
#
#   bash tools/gpu/publish.sh            # single file, compressed, not trimmed (the default)
#   TRIM=1 bash tools/gpu/publish.sh     # also PublishTrimmed=true (smaller; checked below, see README)
#
# After publishing it runs `dino models` and `dino inspect vit-small-16` from the published file as a smoke
# test, and fails if either fails or the folder is over 60 MB.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT_DIR="${PUBLISH_DIR:-artifacts/gpu-check}"
LIMIT_BYTES=$((60 * 1000 * 1000))
TRIM="${TRIM:-0}"

if ! git check-ignore -q "$OUT_DIR/dino"; then
  echo "publish.sh: $OUT_DIR is not ignored by git; the device tool would copy it as a tracked file" >&2
  exit 1
fi

rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR"

props=(
  -p:PublishSingleFile=true
  -p:IncludeNativeLibrariesForSelfExtract=true
  -p:EnableCompressionInSingleFile=true
  -p:InvariantGlobalization=true
  -p:DebugType=none
  -p:DebugSymbols=false
  -p:GenerateDocumentationFile=false
  -p:SatelliteResourceLanguages=en
)
if [[ "$TRIM" == "1" ]]; then
  # Not a global -p:PublishTrimmed=true: that reaches the netstandard2.0 generator too (NETSDK1124).
  props+=("-p:CustomBeforeMicrosoftCommonProps=$ROOT/tools/gpu/trim.props")
fi

echo "publish.sh: dotnet publish Samples/Dino -> $OUT_DIR (trim=$TRIM)"
nice -n 10 dotnet publish Samples/Dino/Dino.csproj -c Release -r linux-x64 --self-contained true \
  -o "$OUT_DIR" "${props[@]}" -nologo -v:minimal

# Only the executable needs to travel; drop anything else the publish left beside it (pdbs, xml docs).
find "$OUT_DIR" -mindepth 1 -maxdepth 1 ! -name dino -exec rm -rf {} +

{
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!artifacts' || echo ' (dirty)')"
  echo "branch: $(git rev-parse --abbrev-ref HEAD)"
  echo "published: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "sdk: $(dotnet --version)"
  echo "trimmed: $TRIM"
} > "$OUT_DIR/BUILD-INFO.txt"

echo "publish.sh: smoke test of the published file"
timeout 120 "$OUT_DIR/dino" models > /dev/null
timeout 120 "$OUT_DIR/dino" inspect vit-small-16 > /dev/null
echo "publish.sh: dino models and dino inspect vit-small-16 ran"

bytes=$(du -sb "$OUT_DIR" | cut -f1)
echo "publish.sh: $OUT_DIR is $bytes bytes ($((bytes / 1000000)) MB)"
cat "$OUT_DIR/BUILD-INFO.txt"
if (( bytes > LIMIT_BYTES )); then
  echo "publish.sh: over the 60 MB limit for carrying" >&2
  exit 1
fi
