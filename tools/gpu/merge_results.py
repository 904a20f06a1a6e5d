#!/usr/bin/env python3
"""Merges one GPU check's outputs into one table: `dino gpu check`'s JSON, torch_vit_step.py's JSON lines, the
phase log and the environment, all under the output folder gpu-check.sh fills.

Reads (each may be missing or malformed; that is reported, not fatal):
  OUT/dino-gpu.json     {"device", "conformance": [{"model","mode","tensor","relative_error","bound","pass"}],
                         "timing": [{"model","mode","batch","ms_per_step","images_per_second","flops_per_step"}]}
  OUT/torch-*.jsonl     one JSON object per line with "variant" (torch_vit_step.py)
  OUT/phases.tsv        phase <TAB> rc <TAB> seconds <TAB> note   (written by gpu-check.sh)
  OUT/env.json          {"gpu_name", "driver", "cuda", "torch", "commit", "date", ...}
Writes OUT/results.txt, OUT/results.md, OUT/conformance.txt and OUT/summary.json, prints results.txt.
Exit code: 0 everything ran and conformance passed; 1 something failed to run (a phase failed or timed out,
a file is missing or unreadable, a variant errored, no timing rows); 2 everything ran but a conformance row
failed or a loss was not finite.

MFU = flops_per_step / (ms_per_step / 1000) / peak, the peak for the row's precision on this GPU (PEAKS).
The FLOPs per step are counted the same way for every row: the dino JSON's flops_per_step per image (when it
has one) times the row's batch, else tools/gpu/vit_flops.py's formula (documented there).
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vit_flops import VIT_SMALL_16, step_flops  # noqa: E402

# Dense peak throughput, FLOP/s. Source: NVIDIA H100 Tensor Core GPU datasheet (tensor-core figures there are
# "with sparsity"; dense is half) and the H100 whitepaper for non-tensor FP32 (SXM5 66.9 TFLOPS); the H200
# datasheet gives the H200 SXM the H100 SXM's compute. "fp32" is the CUDA-core (non-tensor) FP32 peak, "tf32"
# and "bf16" the dense tensor-core peaks.
PEAKS = {
    "H100 SXM": {"bf16": 989.4e12, "tf32": 494.7e12, "fp32": 66.9e12},
    "H100 PCIe": {"bf16": 756e12, "tf32": 378e12, "fp32": 51.2e12},
    "H200 SXM": {"bf16": 989.4e12, "tf32": 494.7e12, "fp32": 66.9e12},
}
TORCH_PRECISION = {"eager-fp32": "fp32", "eager-tf32": "tf32", "eager-bf16": "bf16", "compile-bf16": "bf16"}
TORCH_ORDER = ["eager-fp32", "eager-tf32", "eager-bf16", "compile-bf16"]
DINO_ORDER = ["fp32", "tf32", "bf16"]


def peak_class(gpu_name):
    """nvidia-smi's name -> a PEAKS key, or None. 'NVIDIA H100 80GB HBM3' is the SXM5 part; NVL parts differ."""
    n = (gpu_name or "").upper()
    if "NVL" in n:
        return None
    if "H200" in n:
        return "H200 SXM"
    if "H100" in n:
        if "PCIE" in n:
            return "H100 PCIe"
        if "SXM" in n or "HBM3" in n:
            return "H100 SXM"
    return None


def num(x):
    """A finite float, or None."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def read_json(path, problems):
    if not os.path.exists(path):
        problems.append(f"{os.path.basename(path)}: missing")
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problems.append(f"{os.path.basename(path)}: unreadable ({e})")
        return None


def read_jsonl(paths, problems):
    rows = []
    for path in paths:
        try:
            with open(path) as f:
                lines = f.read().splitlines()
        except OSError as e:
            problems.append(f"{os.path.basename(path)}: unreadable ({e})")
            continue
        for line in lines:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                problems.append(f"{os.path.basename(path)}: a line is not JSON: {line[:80]}")
                continue
            if isinstance(obj, dict) and "variant" in obj:
                rows.append(obj)
    return rows


def read_phases(path):
    phases = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    phases.append({"phase": parts[0], "rc": int(parts[1]) if parts[1].lstrip("-").isdigit() else None,
                                   "seconds": num(parts[2]), "note": parts[3] if len(parts) > 3 else ""})
    return phases


def fmt(v, spec, missing="-"):
    return missing if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", help="the output folder gpu-check.sh wrote")
    ap.add_argument("--local-crops", type=int, default=10, help="local crops per image of the formula")
    args = ap.parse_args()
    out = args.out
    problems, warnings, bad_results = [], [], []

    env = read_json(os.path.join(out, "env.json"), []) or {}
    phases = read_phases(os.path.join(out, "phases.tsv"))
    for p in phases:
        if p["rc"] != 0 and p["note"] != "skipped":
            problems.append(f"phase {p['phase']}: " + (p["note"] or f"exit code {p['rc']}"))

    # ---- DinoCompiled
    dino = read_json(os.path.join(out, "dino-gpu.json"), problems)
    if dino is not None and not isinstance(dino, dict):
        problems.append("dino-gpu.json: not a JSON object")
        dino = None
    dino = dino or {}
    conformance = [c for c in (dino.get("conformance") or []) if isinstance(c, dict)]
    timing = [t for t in (dino.get("timing") or []) if isinstance(t, dict)]
    if dino and not conformance:
        problems.append("dino-gpu.json: no conformance rows")

    gpu_name = env.get("gpu_name") or dino.get("device") or ""
    pclass = peak_class(gpu_name)
    peaks = PEAKS.get(pclass, {})

    # ---- FLOPs per image, the same for every row
    formula_per_image = step_flops(VIT_SMALL_16, 1, local_crops=args.local_crops)
    dino_per_image = []
    for t in timing:
        f, b = num(t.get("flops_per_step")), num(t.get("batch"))
        if t.get("model", "vit-small-16") == "vit-small-16" and f and b:
            dino_per_image.append(f / b)
    if dino_per_image:
        per_image, flops_source = dino_per_image[0], "dino gpu check's flops_per_step"
        if max(dino_per_image) - min(dino_per_image) > 1e-6 * per_image:
            warnings.append("the dino timing rows disagree on FLOPs per image; the first is used")
        if abs(per_image - formula_per_image) > 0.01 * formula_per_image:
            warnings.append(f"dino counts {per_image / 1e9:.1f} GFLOPs per image, the formula (2 global + "
                            f"{args.local_crops} local crops) {formula_per_image / 1e9:.1f}: do the steps differ "
                            "(local crops)?")
    else:
        per_image, flops_source = formula_per_image, f"tools/gpu/vit_flops.py (2 x 224 + {args.local_crops} x 96 crops)"

    # ---- rows
    rows = []
    for t in timing:
        if t.get("model", "vit-small-16") != "vit-small-16":
            continue
        mode = str(t.get("mode", "?"))
        rows.append(dict(impl="DinoCompiled", name=mode, precision=mode if mode in DINO_ORDER else None,
                         batch=num(t.get("batch")), ms=num(t.get("ms_per_step")), ips=num(t.get("images_per_second")),
                         local_crops=t.get("local_crops")))
    rows.sort(key=lambda r: DINO_ORDER.index(r["name"]) if r["name"] in DINO_ORDER else 99)
    if dino and not rows:
        problems.append("dino-gpu.json: no vit-small-16 timing rows")

    torch_lines = read_jsonl(sorted(os.path.join(out, f) for f in os.listdir(out)
                                    if f.startswith("torch") and f.endswith(".jsonl")) if os.path.isdir(out) else [],
                             problems)
    torch_rows, torch_version = [], env.get("torch")
    for line in torch_lines:
        v = str(line["variant"])
        torch_version = torch_version or line.get("torch")
        if "error" in line:
            problems.append(f"torch {v}: {line['error']}")
            continue
        if "skipped" in line:
            warnings.append(f"torch {v}: skipped ({line['skipped']})")
            continue
        if line.get("model", "vit-small-16") != "vit-small-16":
            warnings.append(f"torch {v}: timed {line.get('model')}, not vit-small-16")
        if line.get("loss_finite") is False:
            bad_results.append(f"torch {v}: the loss is not finite")
        torch_rows.append(dict(impl="PyTorch", name=v, precision=TORCH_PRECISION.get(v), batch=num(line.get("batch")),
                               ms=num(line.get("ms_per_step")), ips=num(line.get("images_per_second")),
                               local_crops=line.get("local_crops")))
    torch_rows.sort(key=lambda r: TORCH_ORDER.index(r["name"]) if r["name"] in TORCH_ORDER else 99)
    if not torch_rows:
        problems.append("no PyTorch timing rows")
    crops = {r["local_crops"] for r in rows + torch_rows if r["local_crops"] is not None}
    if len(crops) > 1:
        warnings.append(f"the rows use different local crop counts {sorted(crops)}: the ratios compare different steps")

    for r in rows + torch_rows:  # fill ms <-> images/s from each other, then FLOPs and MFU
        if r["ips"] is None and r["ms"] and r["batch"]:
            r["ips"] = r["batch"] / (r["ms"] / 1000)
        if r["ms"] is None and r["ips"] and r["batch"]:
            r["ms"] = 1000 * r["batch"] / r["ips"]
        r["flops"] = per_image * r["batch"] if r["batch"] else None
        r["tflops_s"] = r["flops"] / (r["ms"] / 1000) / 1e12 if r["flops"] and r["ms"] else None
        peak = peaks.get(r["precision"])
        r["peak"] = peak
        r["mfu"] = r["tflops_s"] * 1e12 / peak if r["tflops_s"] and peak else None
    for r in rows:
        r["ratios"] = {t["name"]: (r["ips"] / t["ips"] if r["ips"] and t["ips"] else None) for t in torch_rows}

    # ---- conformance
    conf_rows, conf_fail = [], 0
    for c in conformance:
        err, bound = num(c.get("relative_error")), num(c.get("bound"))
        passed = c.get("pass")
        if not isinstance(passed, bool):
            passed = err is not None and bound is not None and err <= bound
        if not passed:
            conf_fail += 1
        conf_rows.append(dict(model=str(c.get("model", "?")), mode=str(c.get("mode", "?")), tensor=str(c.get("tensor", "?")),
                              err=err, bound=bound, passed=passed))
    groups = {}
    for c in conf_rows:
        g = groups.setdefault((c["model"], c["mode"]), dict(n=0, failed=0, worst=None, worst_tensor=None))
        g["n"] += 1
        g["failed"] += 0 if c["passed"] else 1
        q = c["err"] / c["bound"] if c["err"] is not None and c["bound"] else None
        if q is not None and (g["worst"] is None or q > g["worst"]):
            g["worst"], g["worst_tensor"] = q, c["tensor"]

    # ---- text
    torch_names = [t["name"] for t in torch_rows]
    head = ["implementation", "mode", "batch", "ms/step", "images/s", "TFLOP/step", "TFLOP/s", "peak TFLOP/s", "MFU"] + \
           [f"x {n}" for n in torch_names]
    body = []
    for r in rows + torch_rows:
        cells = [r["impl"], r["name"], fmt(r["batch"], ".0f"), fmt(r["ms"], ".2f"), fmt(r["ips"], ".1f"),
                 fmt(r["flops"] / 1e12 if r["flops"] else None, ".3f"), fmt(r["tflops_s"], ".1f"),
                 fmt(r["peak"] / 1e12 if r["peak"] else None, ".1f", "unknown"),
                 fmt(100 * r["mfu"] if r["mfu"] is not None else None, ".1f", "unknown") + ("%" if r["mfu"] is not None else "")]
        cells += [fmt(r.get("ratios", {}).get(n), ".2f") for n in torch_names] if r["impl"] == "DinoCompiled" \
            else ["-"] * len(torch_names)
        body.append(cells)

    text_columns = {"implementation", "mode", "model", "tensor", "worst tensor", "phase", "note"}

    def text_table(head, body):
        widths = [max(len(str(x)) for x in col) for col in zip(head, *body)] if body else [len(h) for h in head]
        line = lambda cells: "  ".join(str(c).ljust(w) if h in text_columns else str(c).rjust(w)
                                       for c, w, h in zip(cells, widths, head)).rstrip()
        return "\n".join([line(head), line(["-" * w for w in widths])] + [line(b) for b in body])

    def md_table(head, body):
        return "\n".join(["| " + " | ".join(head) + " |",
                          "|" + "|".join("---" if h in text_columns else "---:" for h in head) + "|"]
                         + ["| " + " | ".join(str(c) for c in b) + " |" for b in body])

    conf_head = ["model", "mode", "tensors", "failed", "worst error/bound", "worst tensor"]
    conf_body = [[m, mo, g["n"], g["failed"], fmt(g["worst"], ".3g"), g["worst_tensor"] or "-"] for (m, mo), g in groups.items()]
    fail_head = ["model", "mode", "tensor", "relative error", "bound"]
    fail_body = [[c["model"], c["mode"], c["tensor"], fmt(c["err"], ".3g"), fmt(c["bound"], ".3g")] for c in conf_rows if not c["passed"]]
    phase_head = ["phase", "exit", "seconds", "note"]
    phase_body = [[p["phase"], p["rc"], fmt(p["seconds"], ".1f"), p["note"] or ""] for p in phases]

    status = "FAILED TO RUN" if problems else ("CONFORMANCE FAILED" if conf_fail or bad_results else "OK")
    header = [
        f"GPU check: {status}",
        f"date {env.get('date', '?')}, commit {env.get('commit', '?')}",
        f"GPU {gpu_name or '?'} (peaks: {pclass or 'unknown GPU, MFU unknown'}), driver {env.get('driver', '?')}, "
        f"CUDA (torch) {env.get('cuda', '?')}, torch {torch_version or '?'}",
        f"ViT-S/16 DINO step, FLOPs from {flops_source}: {per_image / 1e9:.1f} GFLOPs per image",
        "MFU = FLOPs per step / step time / dense peak of the row's precision (fp32: CUDA cores; tf32, bf16: tensor cores)",
        "x <variant> = DinoCompiled images/s / that PyTorch variant's images/s",
    ]
    conf_line = (f"conformance (CudaDevice vs CpuDevice): {len(conf_rows) - conf_fail}/{len(conf_rows)} tensors pass"
                 if conf_rows else "conformance: no rows")
    nccl = dino.get("nccl_single_rank")
    if isinstance(nccl, dict):
        conf_line += (f"\nNCCL single rank ({nccl.get('engine', '?')}, {nccl.get('model', '?')}, {nccl.get('steps', '?')} steps) against the "
                      f"single-GPU trainer: " + ("identical" if nccl.get("pass") else f"DIFFERS: {nccl.get('first_difference', '?')}"))
        if not nccl.get("pass"):
            bad_results.append("NCCL single-rank step differs from the single-GPU step")
    text = "\n".join(header) + "\n\n" + text_table(head, body) + "\n\n" + conf_line + "\n"
    if conf_body:
        text += text_table(conf_head, conf_body) + "\n"
    if fail_body:
        text += "\nconformance failures\n" + text_table(fail_head, fail_body) + "\n"
    if phase_body:
        text += "\nphases\n" + text_table(phase_head, phase_body) + "\n"
    for w in warnings:
        text += f"warning: {w}\n"
    for b in bad_results:
        text += f"failed: {b}\n"
    for p in problems:
        text += f"problem: {p}\n"

    md = "\n\n".join(["### " + header[0], "\n".join("- " + h for h in header[1:]), md_table(head, body),
                      "**" + conf_line + "**"] + ([md_table(conf_head, conf_body)] if conf_body else [])
                     + (["Conformance failures", md_table(fail_head, fail_body)] if fail_body else [])
                     + ([md_table(phase_head, phase_body)] if phase_body else [])
                     + (["\n".join(f"- warning: {w}" for w in warnings)] if warnings else [])
                     + (["\n".join(f"- failed: {b}" for b in bad_results)] if bad_results else [])
                     + (["\n".join(f"- problem: {p}" for p in problems)] if problems else [])) + "\n"

    with open(os.path.join(out, "results.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out, "conformance.txt"), "w") as f:
        f.write(text_table(["model", "mode", "tensor", "relative error", "bound", "pass"],
                           [[c["model"], c["mode"], c["tensor"], fmt(c["err"], ".3g"), fmt(c["bound"], ".3g"),
                             "yes" if c["passed"] else "NO"] for c in conf_rows]) + "\n")
    exit_code = 1 if problems else (2 if conf_fail or bad_results else 0)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump({"status": status, "exit_code": exit_code, "env": env, "gpu_peak_class": pclass,
                   "flops_per_image": per_image, "flops_source": flops_source,
                   "rows": [{k: v for k, v in r.items()} for r in rows + torch_rows],
                   "conformance_failed": conf_fail, "conformance_total": len(conf_rows),
                   "failed_results": bad_results, "problems": problems, "warnings": warnings}, f, indent=1)
    print(text, end="")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
