#!/usr/bin/python3
"""Runs the flash-attention kernels of a generated CUDA module on the CPU emulator (tools/cuda/emulate.py's Module with
tools/cuda/emulate/mma_shim.h, the mma.sync m16n8k16 bf16 instruction written from the PTX ISA's fragment layout) and
checks them against float64 attention computed from the exactly decoded bf16 inputs, on fresh random inputs with
every output poisoned first. The module's own pre-sm_80 path (shuffles) is run too, through a test kernel, against the
emulated instruction.

Bounds, per element of each (image, head):
  out: |got - ref| <= 2^-7 max|V| over the head: the probabilities are rounded to bf16 for P V (relative 2^-9 each, and
       they sum to 1, so at most 2^-9 max|V|), the output is rounded to bf16 (2^-9 relative), and the fp32 sums add
       far less; 2^-7 leaves a factor 2 for the online rescaling's roundings;
  lse: |got - ref| <= 1e-5 (1 + |ref|): fp32 throughout;
  dQ, dK, dV (backward, from the forward's bf16 output and lse), per element: |got - ref| <= 2^-6 M, where M is the
       same product taken over magnitudes (dQ: (P (|dP| + |dO| . |O|)) |K| / sqrt(d); dK: its transpose with |Q|;
       dV: Pᵀ |dO|): P and dS are rounded to bf16 for the products (2^-9 relative each), delta comes from the bf16
       output (2^-9 of |dO| . |O|, summed over the head dim), the result is rounded to bf16 (2^-9); dS = P (dP - delta) cancels, so the errors
       scale with the magnitudes, not with |dS|; 2^-6 leaves a factor 2 over their sum.

Usage: /usr/bin/python3 tools/cuda/emulate_flash.py [Cuda.g.cs or snapshot .verified.cs ...] [--max-tokens N]
Without files: the FmnistTiny and VitSmall16 snapshots. Needs g++ >= 12 and numpy. Exits 1 when a check fails.
"""
import os, re, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emulate_bf16_support as support  # noqa: E402
from emulate_bf16_support import F32, emu, f64, poisoned, poisoned_bf16, rnd_bf16  # noqa: E402

MMA_TEST = r"""
extern "C" __global__ void emu_mma_software(const unsigned int* __restrict__ a, const unsigned int* __restrict__ b, float* __restrict__ d)
{ const int l = threadIdx.x; unsigned int ra[4] = { a[4 * l], a[4 * l + 1], a[4 * l + 2], a[4 * l + 3] }, rb[2] = { b[2 * l], b[2 * l + 1] };
  float rd[4] = { d[4 * l], d[4 * l + 1], d[4 * l + 2], d[4 * l + 3] }; dino_mma_bf16_m16n8k16_software(rd, ra, rb); for (int i = 0; i < 4; i++) d[4 * l + i] = rd[i]; }
extern "C" __global__ void emu_mma_instruction(const unsigned int* __restrict__ a, const unsigned int* __restrict__ b, float* __restrict__ d)
{ const int l = threadIdx.x; unsigned int ra[4] = { a[4 * l], a[4 * l + 1], a[4 * l + 2], a[4 * l + 3] }, rb[2] = { b[2 * l], b[2 * l + 1] };
  float rd[4] = { d[4 * l], d[4 * l + 1], d[4 * l + 2], d[4 * l + 3] }; dino_mma_bf16_m16n8k16(rd, ra, rb); for (int i = 0; i < 4; i++) d[4 * l + i] = rd[i]; }
"""


def instances(m):
    pattern = r"// flash tokens (\d+), head dim (\d+): warps (\d+), key tile (\d+), grid \((\d+), units x heads\), (\d+) threads"
    return [tuple(map(int, g)) for g in re.findall(pattern, m.src)]


def fragments(A, B):
    """The registers of every lane for A (16 x 16) and B (16 x 8), bf16 bit patterns, as the PTX ISA lays them out."""
    a = np.zeros((32, 4), np.uint32)
    b = np.zeros((32, 2), np.uint32)
    for lane in range(32):
        g, t = lane // 4, lane % 4
        pair = lambda lo, hi: np.uint32(int(lo) | (int(hi) << 16))  # noqa: E731
        a[lane] = [pair(A[g, 2 * t], A[g, 2 * t + 1]), pair(A[g + 8, 2 * t], A[g + 8, 2 * t + 1]),
                   pair(A[g, 2 * t + 8], A[g, 2 * t + 9]), pair(A[g + 8, 2 * t + 8], A[g + 8, 2 * t + 9])]
        b[lane] = [pair(B[2 * t, g], B[2 * t + 1, g]), pair(B[2 * t + 8, g], B[2 * t + 9, g])]
    return a, b


def check_mma(m):
    A, B = rnd_bf16(16, 16, scale=2.0), rnd_bf16(16, 8, scale=2.0)
    C = emu.rnd(16, 8).astype(F32)
    a, b = fragments(A, B)
    want = f64(A) @ f64(B) + C.astype(np.float64)
    for kernel in ("emu_mma_instruction", "emu_mma_software"):
        d = np.zeros((32, 4), F32)
        for lane in range(32):
            g, t = lane // 4, lane % 4
            d[lane] = [C[g, 2 * t], C[g, 2 * t + 1], C[g + 8, 2 * t], C[g + 8, 2 * t + 1]]
        m.run(kernel, 1, 32, a.reshape(-1), b.reshape(-1), d.reshape(-1))
        got = np.zeros((16, 8))
        for lane in range(32):
            g, t = lane // 4, lane % 4
            got[g, 2 * t], got[g, 2 * t + 1], got[g + 8, 2 * t], got[g + 8, 2 * t + 1] = d[lane]
        err = np.abs(got - want).max() / np.abs(want).max()
        ok = err <= 2e-7  # exact products, fp32 sums of 16 terms
        print(f"  {'ok  ' if ok else 'FAIL'} {kernel}: D = A B + C (m16n8k16 fragments), max |err| / max |D| = {err:.2e} (bound 2e-7)")
        if not ok:
            emu.FAILED.append(kernel)


def check_flash(m, max_tokens):
    D = m.D
    backward = backward_instances(m)
    for T, dh, warps, bc, blocks_x, threads in instances(m):
        if T > max_tokens:
            continue
        H, u = D // dh, 2
        qkv = rnd_bf16(u * T, 3 * D, scale=1.5)
        out, lse = poisoned_bf16(u * T, D), poisoned(u * H * T)
        m.run(f"dino_flash_attention_t{T}_d{dh}", (blocks_x, u * H), threads, qkv.reshape(-1), out.reshape(-1), lse)
        x = f64(qkv).reshape(u, T, 3, H, dh).transpose(2, 0, 3, 1, 4)  # [3, u, H, T, dh]
        s = x[0] @ x[1].transpose(0, 1, 3, 2) / np.sqrt(dh)
        mx = s.max(-1, keepdims=True)
        e = np.exp(s - mx)
        ref_lse = (mx[..., 0] + np.log(e.sum(-1)))
        ref = (e / e.sum(-1, keepdims=True)) @ x[2]  # [u, H, T, dh]
        got = f64(out).reshape(u, T, H, dh).transpose(0, 2, 1, 3)
        vmax = np.abs(x[2]).max(axis=(2, 3), keepdims=True)
        ratio = (np.abs(got - ref) / (2.0 ** -7 * vmax)).max()
        lratio = (np.abs(lse.reshape(u, H, T) - ref_lse) / (1e-5 * (1 + np.abs(ref_lse)))).max()
        for label, r, what in ((f"flash T {T} dh {dh} (warps {warps}, key tile {bc}) out", ratio, "2^-7 max|V|"),
                               (f"flash T {T} dh {dh} lse", lratio, "1e-5 (1 + |ref|)")):
            ok = np.isfinite(r) and r <= 1
            print(f"  {'ok  ' if ok else 'FAIL'} {label}: max |err| / bound = {r:.3f} (bound {what})")
            if not ok:
                emu.FAILED.append(label)
        if (T, dh) in backward:
            check_flash_backward(m, T, dh, qkv, out, lse, *backward[(T, dh)])


def backward_instances(m):
    pattern = r"// flash backward tokens (\d+), head dim (\d+): delta 8 rows per block of 256; dK/dV and dQ grid \((\d+), units x heads\), (\d+) threads"
    return {(int(a), int(b)): (int(c), int(d)) for a, b, c, d in re.findall(pattern, m.src)}


def check_flash_backward(m, T, dh, qkv, out, lse, grid_x, threads):
    D = m.D
    H, u = D // dh, qkv.shape[0] // T
    dout = rnd_bf16(u * T, D)
    delta = poisoned(u * H * T)
    rows = u * H * T
    m.run(f"dino_flash_attention_delta_t{T}_d{dh}", (rows + 7) // 8, 256, out.reshape(-1), dout.reshape(-1), delta, rows)
    dqkv = poisoned_bf16(u * T, 3 * D)
    m.run(f"dino_flash_attention_grad_dkv_t{T}_d{dh}", (grid_x, u * H), threads, qkv.reshape(-1), dout.reshape(-1), lse, delta, dqkv.reshape(-1))
    m.run(f"dino_flash_attention_grad_dq_t{T}_d{dh}", (grid_x, u * H), threads, qkv.reshape(-1), dout.reshape(-1), lse, delta, dqkv.reshape(-1))
    x = f64(qkv).reshape(u, T, 3, H, dh).transpose(2, 0, 3, 1, 4)
    q, k, v = x[0], x[1], x[2]
    do = f64(dout).reshape(u, T, H, dh).transpose(0, 2, 1, 3)
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    o = p @ v
    dv = p.transpose(0, 1, 3, 2) @ do
    dp = do @ v.transpose(0, 1, 3, 2)
    ds = p * (dp - (do * o).sum(-1, keepdims=True))
    dq = ds @ k / np.sqrt(dh)
    dk = ds.transpose(0, 1, 3, 2) @ q / np.sqrt(dh)
    got = f64(dqkv).reshape(u, T, 3, H, dh).transpose(2, 0, 3, 1, 4)
    ref_delta = (do * o).sum(-1).reshape(-1)
    dratio = (np.abs(delta - ref_delta) / (2.0 ** -7 * np.abs(do).max() * np.abs(v).max() * dh ** 0.5)).max()
    checks = [(f"flash backward T {T} dh {dh} delta", dratio, "2^-7 max|dO| max|V| sqrt(dh)")]
    delta_abs = (np.abs(do) * np.abs(o)).sum(-1, keepdims=True)  # delta's rounding error scales with this, not with |delta|
    mag_ds = p * (np.abs(dp) + delta_abs)
    magnitudes = (mag_ds @ np.abs(k) / np.sqrt(dh), mag_ds.transpose(0, 1, 3, 2) @ np.abs(q) / np.sqrt(dh), p.transpose(0, 1, 3, 2) @ np.abs(do))
    for i, (name, ref) in enumerate((("dq", dq), ("dk", dk), ("dv", dv))):
        bound = 2.0 ** -6 * magnitudes[i] + 1e-30
        checks.append((f"flash backward T {T} dh {dh} {name}", (np.abs(got[i] - ref) / bound).max(), "2^-6 of the product over magnitudes"))
    for label, r, what in checks:
        ok = np.isfinite(r) and r <= 1
        print(f"  {'ok  ' if ok else 'FAIL'} {label}: max |err| / bound = {r:.3f} (bound {what})")
        if not ok:
            emu.FAILED.append(label)


def main():
    args = sys.argv[1:]
    max_tokens = 10 ** 9
    if "--max-tokens" in args:
        i = args.index("--max-tokens"); max_tokens = int(args[i + 1]); del args[i:i + 2]
    snap = os.path.join(emu.ROOT, "Tests", "DinoCompiled.Tests", "Cuda", "_snapshots")
    files = args or [os.path.join(snap, f"CudaSourceTests.GeneratedCudaFile#{n}.verified.cs") for n in ("FmnistTiny", "VitSmall16")]
    support.TEST_KERNELS += MMA_TEST
    for path in files:
        m = support.Bf16Module(path)
        print(m.name)
        check_mma(m)
        check_flash(m, max_tokens)
    if emu.FAILED:
        print(f"{len(emu.FAILED)} check(s) failed: " + ", ".join(emu.FAILED))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
