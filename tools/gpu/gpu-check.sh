#!/usr/bin/env bash
# The one-command GPU check, run on the device machine from the repository root:
#
#   bash tools/gpu/gpu-check.sh "$OUT"          (or OUT=... bash tools/gpu/gpu-check.sh)
#
# with artifacts/gpu-check/dino published beforehand by tools/gpu/publish.sh and carried over. Phases, each
# under its own timeout (seconds, overridable by environment); at most about 8.5 minutes in all (510 s of
# timeouts), typically far less:
#   env           nvidia-smi, driver, torch and CUDA versions                     ENV_TIMEOUT=20
#   dino          dino gpu check --json OUT/dino-gpu.json (conformance, one rank   DINO_TIMEOUT=270
#                 through NCCL when pip's libnccl is there, timing)
#   torch:<v>     tools/gpu/torch_vit_step.py, one process per variant              TORCH_TIMEOUT_EAGER=45
#                 (eager-fp32, eager-bf16, compile-bf16; TORCH_VARIANTS=...)       TORCH_TIMEOUT_COMPILE=150
#   merge         tools/gpu/merge_results.py: OUT/results.{txt,md}, summary.json    MERGE_TIMEOUT=30
# Exit code: 0 all ran and conformance passed; 1 something failed to run (or timed out); 2 everything ran but
# a conformance tensor failed (or a PyTorch loss was not finite). Everything is written under OUT.
set -euo pipefail

OUT="${1:-${OUT:-}}"
if [[ -z "$OUT" ]]; then
  echo "usage: bash tools/gpu/gpu-check.sh OUT_DIR   (or set OUT)" >&2
  exit 1
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

PYTHON="${PYTHON:-python3}"
DINO="${DINO:-artifacts/gpu-check/dino}"
BATCH="${BATCH:-64}"
TORCH_VARIANTS="${TORCH_VARIANTS-eager-fp32 eager-bf16 compile-bf16}"
ENV_TIMEOUT="${ENV_TIMEOUT:-20}"
DINO_TIMEOUT="${DINO_TIMEOUT:-270}"
TORCH_TIMEOUT_EAGER="${TORCH_TIMEOUT_EAGER:-45}"
TORCH_TIMEOUT_COMPILE="${TORCH_TIMEOUT_COMPILE:-150}"
MERGE_TIMEOUT="${MERGE_TIMEOUT:-30}"
# The single-file bundle extracts nothing by default, but if it does, not into a read-only HOME.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-${TMPDIR:-/tmp}/dino-bundle}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export PYTHONUNBUFFERED=1

PHASES="$OUT/phases.tsv"
: > "$PHASES"
START_ALL=$(date +%s)
log() { echo "[gpu-check $(( $(date +%s) - START_ALL ))s] $*" | tee -a "$OUT/gpu-check.log"; }

# run_phase NAME TIMEOUT LOGFILE CMD...: runs CMD under `timeout`, its stdout+stderr to LOGFILE, appends
# "NAME rc seconds" to phases.tsv; never fails the script.
run_phase() {
  local name="$1" limit="$2" logfile="$3"
  shift 3
  local t0 rc
  t0=$(date +%s.%N)
  log "$name: start (timeout ${limit}s): $*"
  set +e
  timeout -k 10 "$limit" "$@" > "$logfile" 2>&1
  rc=$?
  set -e
  local secs note=""
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if (( rc == 124 || rc == 137 )); then note="timed out after ${limit}s"; fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$secs" "$note" >> "$PHASES"
  log "$name: exit $rc after ${secs}s ${note}"
  return 0
}

# ---- env -------------------------------------------------------------------------------------------------
env_phase() {
  echo "== date"; date -u +%Y-%m-%dT%H:%M:%SZ
  echo "== uname"; uname -a
  echo "== nvidia-smi"; nvidia-smi || echo "nvidia-smi failed: $?"
  echo "== nvidia-smi -q (clocks, power)"; nvidia-smi -q -d CLOCK,POWER,PERFORMANCE 2>/dev/null | head -80 || true
  echo "== topology"; nvidia-smi topo -m 2>/dev/null || true
  echo "== torch"
  "$PYTHON" -c 'import torch, sys; print("python", sys.version.split()[0]); print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version()); print("devices", [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())])'
  echo "== dino build"; cat "$(dirname "$DINO")/BUILD-INFO.txt" 2>/dev/null || echo "no BUILD-INFO.txt beside $DINO"
  ls -l "$DINO" 2>&1 || true
  echo "== nproc / memory"; nproc; free -g 2>/dev/null || true
}
export -f env_phase
export PYTHON DINO
run_phase env "$ENV_TIMEOUT" "$OUT/env.txt" bash -c env_phase

# env.json for the merge: GPU name, driver, CUDA/torch versions, commit, date.
gpu_csv=$(timeout 10 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || true)
torch_info=$(timeout 30 "$PYTHON" -c 'import torch; print(torch.__version__ + "\t" + str(torch.version.cuda))' 2>/dev/null || true)
commit=""
if git rev-parse HEAD > /dev/null 2>&1; then
  commit="$(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- . ':!artifacts' 2>/dev/null || echo '+dirty')"
fi
build_commit=$(sed -n 's/^commit: //p' "$(dirname "$DINO")/BUILD-INFO.txt" 2>/dev/null | head -1 || true)
GPU_CSV="$gpu_csv" TORCH_INFO="$torch_info" COMMIT="$commit" BUILD_COMMIT="$build_commit" "$PYTHON" - "$OUT/env.json" <<'PY' || true
import json, os, sys, datetime
gpu = [x.strip() for x in os.environ.get("GPU_CSV", "").split(",")]
t = os.environ.get("TORCH_INFO", "").split("\t")
json.dump({"date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
           "gpu_name": gpu[0] if gpu and gpu[0] else None, "driver": gpu[1] if len(gpu) > 1 else None,
           "gpu_memory": gpu[2] if len(gpu) > 2 else None,
           "torch": t[0] or None, "cuda": t[1] if len(t) > 1 else None,
           "commit": os.environ.get("COMMIT") or os.environ.get("BUILD_COMMIT") or None,
           "dino_build_commit": os.environ.get("BUILD_COMMIT") or None}, open(sys.argv[1], "w"), indent=1)
PY
log "env: ${gpu_csv:-no GPU from nvidia-smi}; torch ${torch_info:-?}; commit ${commit:-${build_commit:-?}}"

# ---- dino gpu check ----------------------------------------------------------------------------------------
# NCCL for the single-rank data-parallel check: PyTorch's wheels bring pip's nvidia-nccl-cu12 (libnccl.so.2).
if [[ -z "${DINO_NCCL_PATH:-}" ]]; then
  nccl_lib=$(timeout 20 "$PYTHON" -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib", "libnccl.so.2"))' 2>/dev/null || true)
  if [[ -n "$nccl_lib" && -f "$nccl_lib" ]]; then export DINO_NCCL_PATH="$nccl_lib"; fi
fi
log "nccl: ${DINO_NCCL_PATH:-no libnccl from the nvidia-nccl pip package; the check says so and goes on}"
if [[ -f "$DINO" && ! -x "$DINO" ]]; then chmod +x "$DINO" 2>/dev/null || true; fi
if [[ -x "$DINO" ]]; then
  run_phase dino "$DINO_TIMEOUT" "$OUT/dino-gpu.log" "$DINO" gpu check --json "$OUT/dino-gpu.json"
else
  log "dino: $DINO is missing or not executable (run tools/gpu/publish.sh here and carry artifacts/gpu-check)"
  printf 'dino\t127\t0\t%s missing\n' "$DINO" >> "$PHASES"
fi

# ---- PyTorch -----------------------------------------------------------------------------------------------
for v in $TORCH_VARIANTS; do
  limit="$TORCH_TIMEOUT_EAGER"
  [[ "$v" == compile-* ]] && limit="$TORCH_TIMEOUT_COMPILE"
  # stdout (the JSON line) and stderr separately: the merge reads torch-<v>.jsonl
  run_phase "torch:$v" "$limit" "$OUT/torch-$v.log" \
    bash -c "'$PYTHON' tools/gpu/torch_vit_step.py --device cuda --batch '$BATCH' --variants '$v' > '$OUT/torch-$v.jsonl'"
done

# ---- merge -------------------------------------------------------------------------------------------------
set +e
timeout -k 5 "$MERGE_TIMEOUT" "$PYTHON" tools/gpu/merge_results.py "$OUT" 2> "$OUT/merge.log"
rc=$?
set -e
if (( rc != 0 && rc != 1 && rc != 2 )); then
  log "merge: failed (exit $rc), see merge.log"
  cat "$OUT/merge.log" >&2 || true
  rc=1
fi
log "done: exit $rc (0 ok, 1 something failed to run, 2 conformance failed); results in $OUT/results.txt"
exit "$rc"
