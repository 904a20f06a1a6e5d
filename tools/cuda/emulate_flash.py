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
  lse: |got - ref| <= 1e-5 (1 + |ref|): fp32 throughout.

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
