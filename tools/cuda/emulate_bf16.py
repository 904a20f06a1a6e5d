#!/usr/bin/python3
"""Runs the bf16 kernels of a generated CUDA module on the CPU emulator (tools/cuda/emulate.py's Module, with
tools/cuda/emulate/bf16_shim.h for the cvt instructions) and checks them three ways, on fresh random inputs with every
output poisoned first:

  1. against a float64 numpy reference of the CPU semantics (Runtime/Cpu), computed from the exactly decoded bf16
     inputs, within a per-element bound: a bf16 output may be off by its rounding, at most 2^-8 |ref| (bf16 keeps 8
     significand bits, so the unit roundoff is 2^-8), plus the fp32 kernel's own bound (emulate.py's, scaled by
     max |ref|, times 1 + 2^-8 for the rounding of that error) -- docs/BF16.md gives the bound of each kernel;
  2. bit for bit against the module's fp32 kernel on the same (decoded) inputs: a bf16 output must be the
     round-to-nearest-even of the fp32 kernel's value and an fp32 output equal to it, since the bf16 kernels repeat
     the fp32 arithmetic in the same order;
  3. the conversion itself: the emulated instructions and the module's software path (before sm_80) against a float64
     nearest-even rounding on ties, subnormals, overflow, infinities and NaN, and on every 16-bit upper half.

Usage: /usr/bin/python3 tools/cuda/emulate_bf16.py [--fast] [Cuda.g.cs or snapshot .verified.cs ...] [-k regex]
Without files: the FmnistTiny and VitSmall16 snapshots (--fast: FmnistTiny only, smaller shapes; about 30 s). Needs
g++ >= 12 and numpy (torch is not needed). Exits 1 when a check fails.
"""
import os, re, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulate_bf16_support import (F32, Bf16Module, check_bf16, check_bits, emu, f64, from_bf16, gelu64, gelu_grad64, ln_eps,  # noqa: E402
                                  poisoned, poisoned_bf16, rnd_bf16, to_bf16)

FAST = False


# ---- checks --------------------------------------------------------------------------------------------------------
def check_conversion(m):
    edges = np.array([
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000,                  # zeros, +-1 (exact)
        0x3F808000, 0x3F818000, 0xBF808000, 0xBF818000,                  # ties: even kept lsb stays, odd rounds up
        0x3F807FFF, 0x3F808001, 0x3F80FFFF, 0xBF808001,                  # just below / above a tie
        0x00000001, 0x00008000, 0x00018000, 0x00008001, 0x007FFFFF,      # subnormals (ties too), largest subnormal
        0x80008000, 0x80018000, 0x00800000, 0x00807FFF, 0x00808000,      # negative subnormal ties, smallest normals
        0x7F7F7FFF, 0x7F7F8000, 0x7F7FFFFF, 0xFF7F8000, 0x7F7E8000,      # largest finite: below, tie (odd -> inf), overflow
        0x7F800000, 0xFF800000,                                          # infinities
        0x7FC00000, 0xFFC00000, 0x7F800001, 0x7F80FFFF, 0xFFFFFFFF, 0x7FBFFFFF,  # NaNs (some would truncate to inf)
    ], np.uint32).view(F32)
    want_edges = np.array([
        0x0000, 0x8000, 0x3F80, 0xBF80, 0x3F80, 0x3F82, 0xBF80, 0xBF82, 0x3F80, 0x3F81, 0x3F81, 0xBF81,
        0x0000, 0x0000, 0x0002, 0x0001, 0x0080, 0x8000, 0x8002, 0x0080, 0x0080, 0x0080,
        0x7F7F, 0x7F80, 0x7F80, 0xFF80, 0x7F7E, 0x7F80, 0xFF80, 0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF], np.uint16)
    check_bits("float64 nearest-even reference on the edge cases (by hand)", to_bf16(edges), want_edges)
    # every upper half with the lower halves that decide the rounding, and random patterns of every class
    highs = np.arange(1 << 16, dtype=np.uint32) << 16
    lows = np.array([0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF], np.uint32)
    sweep = (highs[:, None] | lows[None, :]).reshape(-1)
    if FAST:
        sweep = sweep[::7]
    x = np.concatenate([edges, sweep.view(F32), np.random.default_rng(7).integers(0, 1 << 32, 50_000, dtype=np.uint64).astype(np.uint32).view(F32)])
    want = to_bf16(x)
    n = x.size
    for kernel in ("emu_bf16_instruction", "emu_bf16_software"):
        y = poisoned_bf16(n)
        m.run(kernel, 4, 256, x, y, n)
        check_bits(f"{kernel} (dino_f32_to_bf16{'_software' if 'software' in kernel else ''}) on {n} values", y, want)
    pairs = n // 2
    y2 = np.zeros(pairs, np.uint32)
    m.run("emu_bf16x2_instruction", 4, 256, x, y2, pairs)
    check_bits("dino_f32x2_to_bf16x2: lo in the low half, hi in the high half", y2, want[:2 * pairs].view(np.uint32))
    for count in (n, n - 3):  # the four-wide body and the scalar tail
        y = poisoned_bf16(n)
        m.run("dino_convert_f32_to_bf16", 4 if FAST else emu.blocks(count // 4), 256, x, y, count)
        check_bits(f"dino_convert_f32_to_bf16 count {count}", y[:count], want[:count])
        check_bits(f"dino_convert_f32_to_bf16 count {count} writes nothing past the end", y[count:], poisoned_bf16(n - count))
    h = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    for count in (h.size, h.size - 1):
        y = poisoned(h.size)
        m.run("dino_convert_bf16_to_f32", 4 if FAST else emu.blocks(count // 4), 256, h, y, count)
        check_bits(f"dino_convert_bf16_to_f32 every pattern, count {count}", y[:count].view(np.uint32), (h[:count].astype(np.uint32) << 16))


def check_forward(m):
    D = m.D
    eps = ln_eps(m)
    C, P = m.define("DINO_CHANNELS"), m.define("DINO_PATCH")
    for size in sorted(int(k.rsplit("_", 1)[1]) for k in m.defines if k.startswith("DINO_TOKENS_"))[:1 if FAST else None]:
        u, G = 2, size // P
        images = emu.rnd(u, C, size, size)
        cols = poisoned_bf16(u * G * G, C * P * P)
        m.run("dino_im2col_bf16", emu.blocks(u * C * size * size), 256, images, cols, u, size)
        ref = images.reshape(u, C, G, P, G, P).transpose(0, 2, 4, 1, 3, 5).reshape(u * G * G, C * P * P)
        check_bits(f"im2col_bf16 size {size} = bf16(im2col)", cols, to_bf16(ref))
    for rows in ((1, 13) if FAST else (1, 13, 101)):
        x, g, b = emu.rnd(rows, D, scale=2) + 0.5, emu.rnd(D), emu.rnd(D)
        y, mean, rstd = poisoned_bf16(rows, D), poisoned(rows), poisoned(rows)
        m.run("dino_layernorm_bf16", emu.row_blocks(rows), 256, x, g, b, y, mean, rstd, rows)
        y32, mean32, rstd32 = poisoned(rows, D), poisoned(rows), poisoned(rows)
        m.run("dino_layernorm", emu.row_blocks(rows), 256, x, g, b, y32, mean32, rstd32, rows)
        xd = x.astype(np.float64)
        mu, var = xd.mean(1, keepdims=True), xd.var(1, keepdims=True)
        check_bf16(f"layernorm_bf16 rows {rows} y", y, (xd - mu) / np.sqrt(var + eps) * g + b, 1e-5)
        check_bits(f"layernorm_bf16 rows {rows} y = bf16(fp32 kernel)", y, to_bf16(y32))
        check_bits(f"layernorm_bf16 rows {rows} mean, rstd = fp32 kernel", np.concatenate([mean, rstd]), np.concatenate([mean32, rstd32]))
        emu.check(f"layernorm_bf16 rows {rows} rstd", rstd, 1 / np.sqrt(var[:, 0] + eps), 1e-5)
    rows, cols = 37, 4 * D
    acc, bias = emu.rnd(rows, cols, scale=2), emu.rnd(cols)
    for b in (bias, None):
        pre, y = poisoned_bf16(rows, cols), poisoned_bf16(rows, cols)
        m.run("dino_bias_gelu_bf16", emu.blocks(rows * cols // 4), 256, acc, b, pre, y, rows, cols)
        p32 = acc + (b if b is not None else F32(0))  # float32 adds, as the kernel
        check_bits(f"bias_gelu_bf16 bias {b is not None} pre = bf16(acc + bias)", pre, to_bf16(p32))
        check_bf16(f"bias_gelu_bf16 bias {b is not None} y", y, gelu64(acc.astype(np.float64) + (b.astype(np.float64) if b is not None else 0)), 1e-6)
        y32 = poisoned(rows * cols)
        m.run("dino_gelu", emu.blocks(rows * cols // 4), 256, p32.reshape(-1), y32, rows * cols)
        check_bits(f"bias_gelu_bf16 bias {b is not None} y = bf16(fp32 gelu)", y.reshape(-1), to_bf16(y32))
    n = 4 * 500 + 3
    x = rnd_bf16(n, scale=3)
    y = poisoned_bf16(n)
    m.run("dino_gelu_bf16", emu.blocks(n // 4), 256, x, y, n)
    check_bf16("gelu_bf16", y, gelu64(f64(x)), 1e-6)
    y32 = poisoned(n)
    m.run("dino_gelu", emu.blocks(n // 4), 256, from_bf16(x), y32, n)
    check_bits("gelu_bf16 = bf16(fp32 gelu)", y, to_bf16(y32))
    # residual adds with drop-path scales s[row / rowsPerScale] (one image dropped)
    T, u = 37, 3
    rows = u * T
    s = np.array([0.0, 1.25, 1.25], F32)
    x, branch32, bias = emu.rnd(rows, D), emu.rnd(rows, D), emu.rnd(D)
    branch = to_bf16(branch32)
    for scales in (s, None):
        sv = (np.repeat(s, T) if scales is not None else np.ones(rows))[:, None].astype(np.float64)
        for b in (bias, None):
            bd = b.astype(np.float64) if b is not None else 0.0
            y = branch32.copy()
            m.run("dino_bias_residual_add", emu.blocks(rows * D // 4), 256, y, b, x, scales, T, rows, D)
            emu.check(f"bias_residual_add drop {scales is not None} bias {b is not None}", y, x + sv * (branch32.astype(np.float64) + bd), 1e-6)
            y = poisoned(rows, D)
            m.run("dino_residual_add_bf16", emu.blocks(rows * D // 4), 256, x, branch, b, scales, T, y, rows, D)
            emu.check(f"residual_add_bf16 drop {scales is not None} bias {b is not None}", y, x + sv * (f64(branch) + bd), 1e-6)
        y, y32 = branch32.copy(), branch32.copy()
        m.run("dino_bias_residual_add", emu.blocks(rows * D // 4), 256, y, None, x, scales, T, rows, D)
        m.run("dino_residual_scale_add", emu.blocks(rows * D // 4), 256, y32, x, scales, T, rows, D)
        check_bits(f"bias_residual_add drop {scales is not None} no bias = residual_scale_add", y, y32)
        y, y32 = poisoned(rows, D), poisoned(rows, D)
        m.run("dino_residual_add_bf16", emu.blocks(rows * D // 4), 256, x, branch, None, scales, T, y, rows, D)
        m.run("dino_residual_add", emu.blocks(rows * D // 4), 256, x, from_bf16(branch), scales, T, y32, rows, D)
        check_bits(f"residual_add_bf16 drop {scales is not None} no bias = fp32 residual_add", y, y32)


def check_head(m):
    for rows, dim in ((5, 256), (13, 72)):
        x = rnd_bf16(rows, dim)
        x[2] = 0  # the clamp
        y, norms = poisoned_bf16(rows, dim), poisoned(rows)
        m.run("dino_l2_normalize_bf16", emu.row_blocks(rows), 256, x, y, norms, rows, dim)
        xd = f64(x)
        n64 = np.sqrt((xd * xd).sum(1, keepdims=True))
        check_bf16(f"l2_normalize_bf16 rows {rows} dim {dim}", y, xd / np.maximum(n64, 1e-12), 1e-6)
        y32, norms32 = poisoned(rows, dim), poisoned(rows)
        m.run("dino_l2_normalize", emu.row_blocks(rows), 256, from_bf16(x), y32, norms32, rows, dim)
        check_bits(f"l2_normalize_bf16 rows {rows} y = bf16(fp32 kernel)", y, to_bf16(y32))
        check_bits(f"l2_normalize_bf16 rows {rows} norms = fp32 kernel", norms, norms32)
        dy = rnd_bf16(rows, dim)
        dx = poisoned_bf16(rows, dim)
        m.run("dino_l2_normalize_grad_bf16", emu.row_blocks(rows), 256, dy, x, norms, dx, rows, dim)
        dyd = f64(dy)
        safe = np.where(n64 > 1e-12, n64, 1.0)
        ref = np.where(n64 > 1e-12, dyd / safe - xd * (xd * dyd).sum(1, keepdims=True) / safe ** 3, dyd * 1e12)
        check_bf16(f"l2_normalize_grad_bf16 rows {rows} dim {dim}", dx, ref, 1e-5)
        dx32 = poisoned(rows, dim)
        m.run("dino_l2_normalize_grad", emu.row_blocks(rows), 256, from_bf16(dy), from_bf16(x), norms32, dx32, rows, dim)
        check_bits(f"l2_normalize_grad_bf16 rows {rows} = bf16(fp32 kernel)", dx, to_bf16(dx32))
    for rows, cols in ((21, 72), (64, 256)):
        g, v = emu.rnd(rows) + 2, emu.rnd(rows, cols)
        w, vn = poisoned_bf16(rows, cols), poisoned(rows)
        m.run("dino_weight_norm_bf16", emu.ceil(rows, 8), 256, g, v, w, vn, rows, cols)
        vd = v.astype(np.float64)
        check_bf16(f"weight_norm_bf16 rows {rows}", w, g.astype(np.float64)[:, None] * vd / np.sqrt((vd * vd).sum(1, keepdims=True)), 1e-6)
        w32, vn32 = poisoned(rows, cols), poisoned(rows)
        m.run("dino_weight_norm", emu.ceil(rows, 8), 256, g, v, w32, vn32, rows, cols)
        check_bits(f"weight_norm_bf16 rows {rows} w = bf16(fp32 kernel)", w, to_bf16(w32))
        check_bits(f"weight_norm_bf16 rows {rows} norms = fp32 kernel", vn, vn32)


def check_backward(m):
    D = m.D
    eps = ln_eps(m)
    n = 4 * 500 + 3
    pre, dy = rnd_bf16(n, scale=3), rnd_bf16(n)
    ref = f64(dy) * gelu_grad64(f64(pre))
    dx32 = poisoned(n)
    m.run("dino_gelu_grad", emu.blocks(n // 4), 256, from_bf16(dy), from_bf16(pre), dx32, n)
    dpre = poisoned_bf16(n)
    m.run("dino_gelu_grad_bf16", emu.blocks(n // 4), 256, dy, pre, dpre, n)
    check_bf16("gelu_grad_bf16", dpre, ref, 1e-5)
    check_bits("gelu_grad_bf16 = bf16(fp32 gelu_grad)", dpre, to_bf16(dx32))
    inplace = dy.copy()
    m.run("dino_gelu_grad_bf16", emu.blocks(n // 4), 256, inplace, pre, inplace, n)
    check_bits("gelu_grad_bf16 in place (dy = dpre)", inplace, dpre)
    # the fused recomputation: the same dpre, and act = dino_gelu_bf16(pre) bit for bit (also in place on dy)
    act_ref = poisoned_bf16(n)
    m.run("dino_gelu_bf16", emu.blocks(n // 4), 256, pre, act_ref, n)
    for in_place in (False, True):
        fused, act = (dy.copy() if in_place else poisoned_bf16(n)), poisoned_bf16(n)
        m.run("dino_gelu_grad_recompute_bf16", emu.blocks(n // 4), 256, fused if in_place else dy, pre, fused, act, n)
        check_bits(f"gelu_grad_recompute_bf16 in place {in_place} dpre = gelu_grad_bf16", fused, dpre)
        check_bits(f"gelu_grad_recompute_bf16 in place {in_place} act = gelu_bf16(pre)", act, act_ref)
    dy32 = emu.rnd(n)
    m.run("dino_gelu_grad", emu.blocks(n // 4), 256, dy32, from_bf16(pre), dx32, n)
    m.run("dino_gelu_grad_f32_bf16", emu.blocks(n // 4), 256, dy32, pre, dpre, n)
    check_bf16("gelu_grad_f32_bf16", dpre, dy32.astype(np.float64) * gelu_grad64(f64(pre)), 1e-5)
    check_bits("gelu_grad_f32_bf16 = bf16(fp32 gelu_grad)", dpre, to_bf16(dx32))
    # drop-path scaling of a branch gradient
    T, u = 37, 3
    rows = u * T
    s = np.array([1.25, 0.0, 1.25], F32)
    x = emu.rnd(rows, D)
    for scales in (s, None):
        y, y32 = poisoned_bf16(rows, D), poisoned(rows, D)
        m.run("dino_scale_rows_bf16", emu.blocks(rows * D // 4), 256, x, scales, T, y, rows, D)
        m.run("dino_scale_rows", emu.blocks(rows * D // 4), 256, x, scales, T, y32, rows, D)
        sv = (np.repeat(s, T) if scales is not None else np.ones(rows))[:, None]
        check_bf16(f"scale_rows_bf16 drop {scales is not None}", y, sv * x.astype(np.float64), 0)
        check_bits(f"scale_rows_bf16 drop {scales is not None} = bf16(fp32 kernel)", y, to_bf16(y32))
    # column sums of a bf16 gradient
    for rows, cols in ((101, 3 * D), (4100, 36)) if not FAST else ((101, 3 * D), (700, 36)):
        dy, db0 = rnd_bf16(rows, cols), emu.rnd(cols)
        db, db32 = db0.copy(), db0.copy()
        c = emu.chunks(rows, 64)
        m.run("dino_bias_grad_bf16", (emu.ceil(cols, 32), c), 256, dy, rows, cols)
        m.run("dino_reduce_partials", emu.ceil(cols, 256), 256, c, cols, db, None)
        m.run("dino_bias_grad", (emu.ceil(cols, 32), c), 256, from_bf16(dy), rows, cols)
        m.run("dino_reduce_partials", emu.ceil(cols, 256), 256, c, cols, db32, None)
        emu.check(f"bias_grad_bf16 rows {rows} cols {cols} (+=)", db, f64(dy).sum(0) + db0, 1e-5)
        check_bits(f"bias_grad_bf16 rows {rows} cols {cols} = fp32 kernel", db, db32)
    # LayerNorm backward from a bf16 dy into the fp32 residual gradient
    for rows in ((13,) if FAST else (13, 101)):
        x, g, b = emu.rnd(rows, D, scale=2) + 0.5, emu.rnd(D), emu.rnd(D)
        y32, mean, rstd = poisoned(rows, D), poisoned(rows), poisoned(rows)
        m.run("dino_layernorm", emu.row_blocks(rows), 256, x, g, b, y32, mean, rstd, rows)
        dy = rnd_bf16(rows, D)
        xd, dyd = x.astype(np.float64), f64(dy)
        r64 = 1 / np.sqrt(xd.var(1, keepdims=True) + eps)
        xh = (xd - xd.mean(1, keepdims=True)) * r64
        dh = dyd * g
        dx_ref = r64 * (dh - dh.mean(1, keepdims=True) - xh * (dh * xh).mean(1, keepdims=True))
        for acc in (0, 1):
            dx0, dg0, db0 = emu.rnd(rows, D), emu.rnd(D), emu.rnd(D)
            outs = []
            for kernel, dyk in (("dino_layernorm_grad_bf16", dy), ("dino_layernorm_grad", from_bf16(dy))):
                dx, dg, db = dx0.copy() if acc else poisoned(rows, D), dg0.copy(), db0.copy()
                c = emu.chunks(rows, 32)
                m.run(kernel, c, 256, dyk, x, g, mean, rstd, dx, rows, acc)
                m.run("dino_reduce_partials", emu.ceil(2 * D, 256), 256, c, D, dg, db)
                outs.append((dx, dg, db))
            (dx, dg, db), fp32 = outs
            emu.check(f"layernorm_grad_bf16 rows {rows} acc {acc} dx", dx, dx_ref + (dx0 if acc else 0), 1e-5)
            emu.check(f"layernorm_grad_bf16 rows {rows} acc {acc} dgamma (+=)", dg, (dyd * xh).sum(0) + dg0, 1e-5)
            emu.check(f"layernorm_grad_bf16 rows {rows} acc {acc} dbeta (+=)", db, dyd.sum(0) + db0, 1e-5)
            check_bits(f"layernorm_grad_bf16 rows {rows} acc {acc} dx, dgamma, dbeta = fp32 kernel", np.concatenate([dx.ravel(), dg, db]),
                       np.concatenate([fp32[0].ravel(), fp32[1], fp32[2]]))
            # the fused drop-path scaling: the same dx, dgamma, dbeta, and branch = dino_scale_rows_bf16(dx) bit for bit
            units = rows // 4 + 1
            per = (rows + units - 1) // units
            for scales in (np.where(np.arange(units) % 3 == 1, 0.0, 1.25).astype(F32), None):
                dxf, dgf, dbf = dx0.copy() if acc else poisoned(rows, D), dg0.copy(), db0.copy()
                branch, branch_ref = poisoned_bf16(rows, D), poisoned_bf16(rows, D)
                c = emu.chunks(rows, 32)
                m.run("dino_layernorm_grad_scale_bf16", c, 256, dy, x, g, mean, rstd, dxf, rows, acc, scales, per, branch)
                m.run("dino_reduce_partials", emu.ceil(2 * D, 256), 256, c, D, dgf, dbf)
                m.run("dino_scale_rows_bf16", emu.blocks(rows * D // 4), 256, dxf, scales, per, branch_ref, rows, D)
                check_bits(f"layernorm_grad_scale_bf16 rows {rows} acc {acc} drop {scales is not None} dx, dgamma, dbeta = layernorm_grad_bf16",
                           np.concatenate([dxf.ravel(), dgf, dbf]), np.concatenate([dx.ravel(), dg, db]))
                check_bits(f"layernorm_grad_scale_bf16 rows {rows} acc {acc} drop {scales is not None} branch = scale_rows_bf16(dx)", branch, branch_ref)
    # the token split: bf16 patch gradient, fp32 parameter gradients
    for patches in ((9,) if FAST else (9, 49)):
        u = 3
        dt = emu.rnd(u * (patches + 1), D)
        grads = [(emu.rnd(D), emu.rnd(D), emu.rnd(patches, D)) for _ in range(2)]
        grads[1] = tuple(a.copy() for a in grads[0])
        dpt, dpt32 = poisoned_bf16(u * patches, D), poisoned(u * patches, D)
        m.run("dino_assemble_tokens_grad_bf16", emu.ceil((patches + 1) * D, 256), 256, dt, dpt, *grads[0], u, patches)
        m.run("dino_assemble_tokens_grad", emu.ceil((patches + 1) * D, 256), 256, dt, dpt32, *grads[1], u, patches)
        check_bits(f"assemble_tokens_grad_bf16 patches {patches} dPatch = bf16(dTokens)", dpt, to_bf16(dt.reshape(u, patches + 1, D)[:, 1:].reshape(-1, D)))
        check_bits(f"assemble_tokens_grad_bf16 patches {patches} dCls, dPosCls, dPosPatches = fp32 kernel",
                   np.concatenate([a.ravel() for a in grads[0]]), np.concatenate([a.ravel() for a in grads[1]]))


def check_loss(m):
    K = m.K
    for batch, crops in ((2, 4),) if FAST else ((2, 2), (3, 4)):
        tau_s, tau_t = 0.1, 0.04
        teacher, center, student = emu.rnd(2 * batch, K, scale=0.3), emu.rnd(K, scale=0.1), emu.rnd(crops * batch, K, scale=0.3)
        probs = poisoned(2 * batch, K)
        grad_scale = float(F32(1.0 / (F32(tau_s) * 2.0 * (crops - 1) * batch)))
        m.run("dino_loss_teacher", 2 * batch, 512, teacher, center, probs, float(F32(1) / F32(tau_t)))
        ds, ds32 = poisoned_bf16(crops * batch, K), poisoned(crops * batch, K)
        loss, loss32 = np.full(crops * batch, np.nan), np.full(crops * batch, np.nan)
        m.run("dino_loss_student_bf16", crops * batch, 512, student, probs, ds, loss, batch, float(F32(1) / F32(tau_s)), grad_scale)
        m.run("dino_loss_student", crops * batch, 512, student, probs, ds32, loss32, batch, float(F32(1) / F32(tau_s)), grad_scale)
        check_bits(f"loss_student_bf16 B {batch} crops {crops} dStudent = bf16(fp32 kernel)", ds, to_bf16(ds32))
        check_bits(f"loss_student_bf16 B {batch} crops {crops} rowLoss = fp32 kernel", loss, loss32)
        # float64 DINO loss gradient: (n_v q_v - sum of the paired teacher rows) / (tau_s 2 (crops - 1) B)
        z = (teacher.astype(np.float64) - center) / tau_t
        t = np.exp(z - z.max(1, keepdims=True)); t /= t.sum(1, keepdims=True)
        zs = student.astype(np.float64) / tau_s
        q = np.exp(zs - zs.max(1, keepdims=True)); q /= q.sum(1, keepdims=True)
        ref = np.zeros_like(q)
        for v in range(crops):
            for i in range(2):
                if i != v:
                    ref[v * batch:(v + 1) * batch] += q[v * batch:(v + 1) * batch] - t[i * batch:(i + 1) * batch]
        check_bf16(f"loss_student_bf16 B {batch} crops {crops} dStudent", ds, ref / (tau_s * 2 * (crops - 1) * batch), 1e-5)


def check_parameter_passes(m):
    def table(name, typ):
        return np.array(re.search(r"__constant__ " + typ + " " + name + r"\[[^\]]*\] = \{ ([^}]*) \}", m.src).group(1).split(", "), np.int64)
    off, cnt, tr = table("c_tensor_offset", "long long"), table("c_tensor_count", "long long"), table("c_tensor_trainable", "int")
    first = table("c_tensor_first_chunk", "int")
    n, L, chunks_ = len(off), m.define("DINO_FLAT_LENGTH"), m.define("DINO_PARAM_CHUNKS")
    # --fast launches the first chunks only (every tensor of them, some in part): a block's chunk is its index
    grid = min(chunks_, 48) if FAST else chunks_
    p0, m0, v0, grads = emu.rnd(L), emu.rnd(L, scale=0.01), np.abs(emu.rnd(L, scale=1e-4)), emu.rnd(L, scale=0.05)
    hyper, (b1, b2, eps) = emu.adamw_hyper(n, tr), emu.ADAMW_BETAS_EPS
    runs = []
    for kernel in ("dino_adamw_bf16", "dino_adamw"):
        p, mm, vv = p0.copy(), m0.copy(), v0.copy()
        copy = poisoned_bf16(L)
        extra = (copy,) if kernel.endswith("bf16") else ()
        m.run(kernel, grid, 256, p, *extra, grads, mm, vv, hyper, float(b1), float(b2), float(eps))
        runs.append((p, mm, vv, copy))
    (p, mm, vv, copy), (p32, mm32, vv32, _) = runs
    check_bits("adamw_bf16 parameters, m, v = fp32 adamw", np.concatenate([p, mm, vv]), np.concatenate([p32, mm32, vv32]))
    updated = np.zeros(L, bool)
    for t in range(n):
        if tr[t] and hyper[4 * t + 3] != 0:
            for c in range(first[t], min(first[t + 1], grid)):
                start = off[t] + (c - first[t]) * m.define("DINO_CHUNK")
                updated[start:min(off[t] + cnt[t], start + m.define("DINO_CHUNK"))] = True
    check_bits(f"adamw_bf16 on {grid} of {chunks_} chunks: the parameters it does not update are unchanged", p[~updated], p0[~updated])
    check_bits(f"adamw_bf16 copy of the {updated.sum()} updated parameters = bf16(parameters)", copy[updated], to_bf16(p[updated]))
    check_bits(f"adamw_bf16 leaves the other {L - updated.sum()} copies (frozen, inactive, padding)", copy[~updated], poisoned_bf16(L - updated.sum()))
    for length in (L - 3,) if FAST else (L, L - 3):  # the four-wide body and the scalar tail
        teacher, teacher32, copy = p0.copy(), p0.copy(), poisoned_bf16(L)
        grid = min(emu.ceil(length, 1024), 64 if FAST else 8192)  # grid-stride: any grid gives the same result
        m.run("dino_teacher_ema_bf16", grid, 256, teacher, copy, p, length, 0.996)
        m.run("dino_teacher_ema", grid, 256, teacher32, p, length, 0.996)
        check_bits(f"teacher_ema_bf16 length {length} teacher = fp32 teacher_ema", teacher, teacher32)
        check_bits(f"teacher_ema_bf16 length {length} copy = bf16(teacher)", copy[:length], to_bf16(teacher[:length]))
        check_bits(f"teacher_ema_bf16 length {length} writes nothing past the end", copy[length:], poisoned_bf16(L - length))


CHECKS = [check_conversion, check_forward, check_head, check_backward, check_loss, check_parameter_passes]


def main():
    global FAST
    args = sys.argv[1:]
    filt = None
    if "-k" in args:
        i = args.index("-k"); filt = args[i + 1]; del args[i:i + 2]
    if "--fast" in args:
        FAST = True; args.remove("--fast")
    snap = os.path.join(emu.ROOT, "Tests/DinoCompiled.Tests/Cuda/_snapshots")
    files = args or [os.path.join(snap, "CudaSourceTests.GeneratedCudaFile#" + name + ".verified.cs") for name in (("FmnistTiny",) if FAST else ("FmnistTiny", "VitSmall16"))]
    for path in files:
        m = Bf16Module(path)
        print(f"{m.name}: D {m.D}, K {m.K}{' (fast)' if FAST else ''}")
        for c in CHECKS:
            if filt and not re.search(filt, c.__name__):
                continue
            if c is check_parameter_passes and m.define("DINO_FLAT_LENGTH") > 4_000_000 and not filt:
                print("check_parameter_passes: skipped for this model (minutes on the emulator; run with -k check_parameter_passes)")
                continue
            print(c.__name__)
            c(m)
    print("FAILED: " + ", ".join(emu.FAILED) if emu.FAILED else "all checks passed")
    sys.exit(1 if emu.FAILED else 0)


if __name__ == "__main__":
    main()
