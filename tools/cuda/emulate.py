#!/usr/bin/python3
"""Runs a generated CUDA module's kernels on the CPU (tools/cuda/emulate/cuda_shim.h: one fiber per CUDA thread,
real barriers and warp shuffles) and compares them with the CPU reference semantics (Runtime/Cpu, computed here with
torch/numpy in double), with the launch geometry and argument order of the generated schedules.

Usage: /usr/bin/python3 tools/cuda/emulate.py [Cuda.g.cs or snapshot .verified.cs ...] [-k regex over the check names]
Without files: the FmnistTiny and VitSmall16 snapshots of Tests/DinoCompiled.Tests/Cuda/_snapshots. Needs g++ >= 12
(C++20 <barrier>), numpy and torch (CPU). Exits 1 when a check fails. A developer tool, slow (threads per block).
"""
import ctypes, math, os, re, subprocess, sys, tempfile
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compile_check import extract  # noqa: E402

F32 = np.float32


class Module:
    # The element type each pointer parameter of a kernel takes, by its C type.
    pointer_types = {"float": np.float32, "double": np.float64}

    def __init__(self, path):
        self.name = os.path.basename(path)
        self.src = extract(path)
        self.defines = {m.group(1): m.group(2) for m in re.finditer(r"#define (\w+) (\S+)", self.src)}
        self.sigs = {}
        for m in re.finditer(r'extern "C" __global__ void (?:__launch_bounds__\(\d+\) )?(\w+)\(([^)]*)\)', self.src):
            params = []
            for p in m.group(2).split(","):
                p = " ".join(p.replace("__restrict__", "").split())
                params.append(p[: p.rfind(" ")].replace(" *", "*"))
            self.sigs[m.group(1)] = params
        wrappers = []
        for name, params in self.sigs.items():
            call = ", ".join(f"*({t}*)a[{i}]" for i, t in enumerate(params))
            wrappers.append(f'extern "C" void run_{name}(unsigned gx, unsigned gy, unsigned bx, void** a) '
                            f'{{ emu_launch(gx, gy, bx, [&] {{ {name}({call}); }}); }}')
        wrappers.append('extern "C" int emu_error_count() { return emu_errors.load(); }')
        shim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulate")
        self.dir = tempfile.mkdtemp(prefix="dino-emu-")
        cpp = os.path.join(self.dir, "module.cpp")
        with open(cpp, "w") as f:
            f.write('#include "cuda_shim.h"\n#pragma GCC diagnostic ignored "-Wunknown-pragmas"\n' + self.src + "\n" + "\n".join(wrappers) + "\n")
        so = os.path.join(self.dir, "module.so")
        subprocess.run(["g++", "-std=c++20", "-O1", "-ffp-contract=off", "-fPIC", "-shared", "-pthread", "-w", "-I", shim, cpp, "-o", so], check=True)
        self.lib = ctypes.CDLL(so)
        self.D = int(self.defines["DINO_D"])
        self.K = int(self.defines["DINO_K"])

    def define(self, name):
        return int(self.defines[name])

    def run(self, name, grid, block, *args):
        params = self.sigs[name]
        assert len(params) == len(args), (name, params, len(args))
        keep, addrs = [], []
        for t, a in zip(params, args):
            if t.endswith("*"):
                if a is None:
                    v = ctypes.c_void_p(0)
                else:
                    want = self.pointer_types[t[:-1].replace("const ", "").strip()]
                    arr, off = a if isinstance(a, tuple) else (a, 0)
                    assert arr.dtype == want and arr.flags.c_contiguous, (name, t, arr.dtype)
                    v = ctypes.c_void_p(arr.ctypes.data + off * arr.itemsize)
            elif t == "int":
                assert isinstance(a, (int, np.integer)), (name, t, a)
                v = ctypes.c_int(int(a))
            elif t == "long long":
                v = ctypes.c_longlong(int(a))
            elif t == "float":
                v = ctypes.c_float(float(a))
            else:
                raise TypeError(t)
            keep.append(v)
            addrs.append(ctypes.cast(ctypes.pointer(v), ctypes.c_void_p).value)
        arr = (ctypes.c_void_p * max(1, len(addrs)))(*addrs)
        gx, gy = grid if isinstance(grid, tuple) else (grid, 1)
        getattr(self.lib, "run_" + name)(ctypes.c_uint(gx), ctypes.c_uint(gy), ctypes.c_uint(block), arr)
        assert self.lib.emu_error_count() == 0, name + ": shuffle over exited lanes"


# ---- geometry helpers, as CudaMembersWriter writes them ----
def blocks(items):
    return int(min(max((items + 255) // 256, 1), 16384))


def row_blocks(rows):
    return max((rows + 7) // 8, 1)


def chunks(rows, per):
    return int(min(max((rows + per - 1) // per, 1), 256))


def ceil(a, b):
    return (a + b - 1) // b


FAILED = []

ADAMW_BETAS_EPS = (F32(0.9), F32(0.999), F32(1e-8))


def adamw_hyper(n, trainable):
    """The per-tensor rows (bias corrections, decay factor, active) of dino_adamw for n tensors: some inactive (the
    frozen last layer), steps 1 to 3, weight decay on every other tensor."""
    b1, b2, _ = ADAMW_BETAS_EPS
    lr, wd = F32(1e-3), F32(0.04)
    hyper = np.zeros(4 * n, F32)
    for t in range(n):
        if trainable[t] and t % 5 != 3:
            step = 1 + t % 3
            hyper[4 * t:4 * t + 4] = [lr / (F32(1) - b1 ** step), np.sqrt(F32(1) - b2 ** step), F32(1) - lr * (wd if t % 2 else F32(0)), 1]
    return hyper


def check(label, got, want, tol):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    scale = max(1e-30, np.abs(want).max())
    err = np.abs(got - want).max() / scale if got.size else 0.0
    ok = got.shape == want.shape and np.all(np.isfinite(got)) and err <= tol
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: max |err| / max |ref| = {err:.2e} (tol {tol:.0e})")
    if not ok:
        FAILED.append(label)


def rnd(*shape, scale=1.0, seed=[0]):
    seed[0] += 1
    return (np.random.default_rng(seed[0]).standard_normal(shape) * scale).astype(F32)


def t64(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


# ---- checks ----
def check_layernorm(m):
    D = m.D
    eps = float(np.frombuffer(int(re.search(r"0x([0-9A-F]+)u", m.defines["DINO_LN_EPS"]).group(1), 16).to_bytes(4, "little"), np.float32)[0])
    for rows in (1, 13, 101):
        x, g, b = rnd(rows, D, scale=2) + 0.5, rnd(D), rnd(D)
        y, mean, rstd = np.zeros((rows, D), F32), np.zeros(rows, F32), np.zeros(rows, F32)
        m.run("dino_layernorm", row_blocks(rows), 256, x, g, b, y, mean, rstd, rows)
        xt, gt, bt = t64(x), t64(g), t64(b)
        yt = torch.nn.functional.layer_norm(xt, (D,), gt, bt, eps)
        check(f"layernorm rows {rows} y", y, yt.detach(), 1e-5)
        check(f"layernorm rows {rows} mean", mean, x.astype(np.float64).mean(1), 1e-5)
        check(f"layernorm rows {rows} rstd", rstd, 1 / np.sqrt(x.astype(np.float64).var(1) + eps), 1e-5)
        dy = rnd(rows, D)
        yt.backward(torch.tensor(dy, dtype=torch.float64))
        for acc in (0, 1):
            dx0 = rnd(rows, D)
            dx = dx0.copy()
            dg0, db0 = rnd(D), rnd(D)
            dg, db = dg0.copy(), db0.copy()
            c = chunks(rows, 32)
            m.run("dino_layernorm_grad", c, 256, dy, x, g, mean, rstd, dx, rows, acc)
            m.run("dino_reduce_partials", ceil(2 * D, 256), 256, c, D, dg, db)
            check(f"layernorm_grad rows {rows} acc {acc} dx", dx, xt.grad.numpy() + (dx0 if acc else 0), 1e-5)
            check(f"layernorm_grad rows {rows} acc {acc} dgamma (+=)", dg, gt.grad.numpy() + dg0, 1e-5)
            check(f"layernorm_grad rows {rows} acc {acc} dbeta (+=)", db, bt.grad.numpy() + db0, 1e-5)


def check_bias_grad(m):
    for rows, cols in ((1, 4 * m.D), (101, 3 * m.D), (4100, 36), (70, m.D + 4)):
        dy, db0 = rnd(rows, cols), rnd(cols)
        db = db0.copy()
        c = chunks(rows, 64)
        m.run("dino_bias_grad", (ceil(cols, 32), c), 256, dy, rows, cols)
        m.run("dino_reduce_partials", ceil(cols, 256), 256, c, cols, db, None)
        check(f"bias_grad rows {rows} cols {cols} (+=)", db, dy.astype(np.float64).sum(0) + db0, 1e-5)


def attention_instances(m):
    """(tokens, head dim, query tile, key block) of every attention instance, from the plan's comment line."""
    return [tuple(map(int, g)) for g in re.findall(r"// tokens (\d+), head dim (\d+): query tile (\d+), key tile \d+, grid \(\d+, units x heads\); key block (\d+)", m.src)]


def check_attention(m):
    D = m.D
    instances = attention_instances(m)
    assert instances, "no attention instances found"
    for T, dh, qt, kb in instances:
        H, u = D // dh, 2
        qkv = rnd(u * T, 3 * D, scale=1.5)
        out, probs = np.zeros((u * T, D), F32), np.zeros((u, H, T, T), F32)
        m.run(f"dino_attention_t{T}_d{dh}", (ceil(T, qt), u * H), 256, qkv, out, probs)
        qt_ = t64(qkv)
        q, k, v = qt_.view(u, T, 3, H, dh).permute(2, 0, 3, 1, 4)
        p = torch.softmax(q @ k.transpose(-1, -2) * dh ** -0.5, -1)
        o = (p @ v).permute(0, 2, 1, 3).reshape(u * T, D)
        check(f"attention T {T} dh {dh} probs", probs, p.detach(), 1e-5)
        check(f"attention T {T} dh {dh} out", out, o.detach(), 1e-5)
        dout = rnd(u * T, D)
        o.backward(torch.tensor(dout, dtype=torch.float64))
        dqkv = np.full((u * T, 3 * D), np.nan, F32)
        m.run(f"dino_attention_grad_dv_t{T}_d{dh}", (ceil(T, kb), u * H), 256, dout, probs, dqkv)
        m.run(f"dino_attention_grad_dq_t{T}_d{dh}", (ceil(T, qt), u * H), 256, dout, qkv, probs, dqkv)
        m.run(f"dino_attention_grad_dk_t{T}_d{dh}", (ceil(T, kb), u * H), 256, qkv, probs, dqkv)
        g = qt_.grad.numpy().reshape(u * T, 3, D)
        got = dqkv.reshape(u * T, 3, D)
        for i, part in enumerate("qkv"):
            check(f"attention_grad T {T} dh {dh} d{part}", got[:, i], g[:, i], 1e-5)


def check_rows(m):
    D = m.D
    # im2col against torch's unfold (c, ky, kx order), units 3
    C, P, img = m.define("DINO_CHANNELS"), m.define("DINO_PATCH"), m.define("DINO_IMAGE")
    for size in sorted(int(k.rsplit("_", 1)[1]) for k in m.defines if k.startswith("DINO_TOKENS_")):
        u = 3
        images = rnd(u, C, size, size)
        G = size // P
        cols = np.zeros((u * G * G, C * P * P), F32)
        m.run("dino_im2col", blocks(u * C * size * size), 256, images, cols, u, size)
        ref = torch.nn.functional.unfold(torch.tensor(images, dtype=torch.float64), P, stride=P).transpose(1, 2).reshape(u * G * G, C * P * P)
        check(f"im2col size {size}", cols, ref, 0)
    # assemble tokens and its backward
    for patches in (9, 49):
        u = 3
        pt, cls, pc, pp = rnd(u * patches, D), rnd(D), rnd(D), rnd(patches, D)
        tok = np.zeros((u * (patches + 1), D), F32)
        m.run("dino_assemble_tokens", blocks(u * (patches + 1) * D // 4), 256, pt, cls, pc, pp, tok, u, patches)
        ref = np.concatenate([np.broadcast_to(cls + pc, (u, 1, D)), pt.reshape(u, patches, D) + pp], 1).reshape(-1, D)
        check(f"assemble_tokens patches {patches}", tok, ref, 1e-7)
        dt = rnd(u * (patches + 1), D)
        dpt = np.zeros((u * patches, D), F32)
        dcls0, dpc0, dpp0 = rnd(D), rnd(D), rnd(patches, D)
        dcls, dpc, dpp = dcls0.copy(), dpc0.copy(), dpp0.copy()
        m.run("dino_assemble_tokens_grad", ceil((patches + 1) * D, 256), 256, dt, dpt, dcls, dpc, dpp, u, patches)
        d3 = dt.astype(np.float64).reshape(u, patches + 1, D)
        check(f"assemble_tokens_grad patches {patches} dPatch", dpt, d3[:, 1:].reshape(-1, D), 0)
        check(f"assemble_tokens_grad patches {patches} dCls (+=)", dcls, d3[:, 0].sum(0) + dcls0, 1e-6)
        check(f"assemble_tokens_grad patches {patches} dPosCls (+=)", dpc, d3[:, 0].sum(0) + dpc0, 1e-6)
        check(f"assemble_tokens_grad patches {patches} dPosPatches (+=)", dpp, d3[:, 1:].sum(0) + dpp0, 1e-6)
        cl = np.zeros((u, D), F32)
        m.run("dino_gather_class", blocks(u * D // 4), 256, tok, cl, u, patches + 1)
        check(f"gather_class tokens {patches + 1}", cl, tok.reshape(u, patches + 1, D)[:, 0], 0)
        dtok = np.full((u * (patches + 1), D), np.nan, F32)
        m.run("dino_scatter_class", blocks(u * (patches + 1) * D // 4), 256, cl, dtok, u, patches + 1)
        ref = np.zeros((u, patches + 1, D)); ref[:, 0] = cl
        check(f"scatter_class tokens {patches + 1}", dtok, ref.reshape(-1, D), 0)
    # residual adds and row scaling with drop-path scales s[row / rowsPerScale]
    T, u = 37, 3
    rows = u * T
    s = np.array([0.0, 1.25, 1.25], F32)
    x, br = rnd(rows, D), rnd(rows, D)
    for scales in (s, None):
        sv = (np.repeat(s, T) if scales is not None else np.ones(rows))[:, None]
        y = br.copy()
        m.run("dino_residual_scale_add", blocks(rows * D // 4), 256, y, x, scales, T, rows, D)
        check(f"residual_scale_add drop {scales is not None}", y, x + sv * br.astype(np.float64), 1e-7)
        y = np.zeros_like(x)
        m.run("dino_residual_add", blocks(rows * D // 4), 256, x, br, scales, T, y, rows, D)
        check(f"residual_add drop {scales is not None}", y, x + sv * br.astype(np.float64), 1e-7)
        y = np.zeros_like(x)
        m.run("dino_scale_rows", blocks(rows * D // 4), 256, x, scales, T, y, rows, D)
        check(f"scale_rows drop {scales is not None}", y, sv * x, 0)
    # elementwise with a tail
    n = 4 * 1000 + 3
    a, g = rnd(n, scale=3), rnd(n)
    y = np.zeros(n, F32)
    m.run("dino_gelu", blocks(n // 4), 256, a, y, n)
    at = t64(a)
    gt = torch.nn.functional.gelu(at)
    check("gelu", y, gt.detach(), 1e-6)
    gt.backward(torch.tensor(g, dtype=torch.float64))
    dx = np.zeros(n, F32)
    m.run("dino_gelu_grad", blocks(n // 4), 256, g, a, dx, n)
    check("gelu_grad", dx, at.grad, 1e-5)
    d0 = rnd(n)
    d = d0.copy()
    m.run("dino_accumulate", blocks(n // 4), 256, a, d, n)
    check("accumulate", d, d0.astype(np.float64) + a, 1e-7)
    m.run("dino_clear", blocks(n // 4), 256, d, n)
    check("clear", d, np.zeros(n), 0)


def check_head(m):
    for rows, dim in ((5, 256), (13, 72)):
        x = rnd(rows, dim)
        x[2] = 0  # the clamp
        y, norms = np.zeros_like(x), np.zeros(rows, F32)
        m.run("dino_l2_normalize", row_blocks(rows), 256, x, y, norms, rows, dim)
        xt = t64(x)
        yt = torch.nn.functional.normalize(xt, dim=-1)
        check(f"l2_normalize rows {rows}", y, yt.detach(), 1e-6)
        dy = rnd(rows, dim)
        yt.backward(torch.tensor(dy, dtype=torch.float64))
        dx = np.zeros_like(x)
        m.run("dino_l2_normalize_grad", row_blocks(rows), 256, dy, x, norms, dx, rows, dim)
        check(f"l2_normalize_grad rows {rows}", dx, xt.grad, 1e-5)
    for rows, cols in ((21, 72), (64, 256)):
        g, v = rnd(rows) + 2, rnd(rows, cols)
        w, vn = np.zeros((rows, cols), F32), np.zeros(rows, F32)
        m.run("dino_weight_norm", ceil(rows, 8), 256, g, v, w, vn, rows, cols)
        gt, vt = t64(g), t64(v)
        wt = gt[:, None] * vt / vt.norm(dim=1, keepdim=True)
        check(f"weight_norm rows {rows}", w, wt.detach(), 1e-6)
        dw = rnd(rows, cols)
        wt.backward(torch.tensor(dw, dtype=torch.float64))
        for train_g in (True, False):
            dv0, dg0 = rnd(rows, cols), rnd(rows)
            dv, dg = dv0.copy(), dg0.copy()
            m.run("dino_weight_norm_grad", ceil(rows, 8), 256, dw, g, v, vn, dg if train_g else None, dv, rows, cols)
            check(f"weight_norm_grad rows {rows} dv (+=)", dv, vt.grad + dv0, 1e-5)
            if train_g:
                check(f"weight_norm_grad rows {rows} dg (+=)", dg, gt.grad + dg0, 1e-5)


def check_resize(m):
    D = m.D
    G = m.define("DINO_IMAGE") // m.define("DINO_PATCH")
    for crop in re.findall(r"dino_resize_positions_crop(\d+)\(", m.src):
        g = int(crop) // m.define("DINO_PATCH")
        src = rnd(G * G, D)
        dst = np.zeros((g * g, D), F32)
        m.run(f"dino_resize_positions_crop{crop}", g * g, 128, src, dst)
        st = t64(src)
        grid = st.reshape(1, G, G, D).permute(0, 3, 1, 2)
        out = torch.nn.functional.interpolate(grid, scale_factor=(g + 0.1) / G, mode="bicubic", align_corners=False)
        assert out.shape[-1] == g
        out = out.permute(0, 2, 3, 1).reshape(g * g, D)
        check(f"resize crop {crop} (vs torch interpolate)", dst, out.detach(), 1e-6)
        dd = rnd(g * g, D)
        out.backward(torch.tensor(dd, dtype=torch.float64))
        ds0 = rnd(G * G, D)
        ds = ds0.copy()
        m.run(f"dino_resize_positions_grad_crop{crop}", G * G, 128, dd, ds)
        check(f"resize_grad crop {crop} (+=, vs torch autograd)", ds, st.grad + ds0, 1e-6)


def check_loss(m):
    K = m.K
    for batch, crops in ((3, 2), (3, 4)):
        tau_s, tau_t = 0.1, 0.04
        teacher = rnd(2 * batch, K, scale=0.3)
        center = rnd(K, scale=0.1)
        student = rnd(crops * batch, K, scale=0.3)
        probs = np.zeros((2 * batch, K), F32)
        ds = np.zeros((crops * batch, K), F32)
        row_loss = np.zeros(crops * batch, np.float64)
        grad_scale = float(F32(1.0 / (F32(tau_s) * 2.0 * (crops - 1) * batch)))
        m.run("dino_loss_teacher", 2 * batch, 512, teacher, center, probs, float(F32(1) / F32(tau_t)))
        m.run("dino_loss_student", crops * batch, 512, student, probs, ds, row_loss, batch, float(F32(1) / F32(tau_s)), grad_scale)
        # reference DINO loss (the paper's, as DinoLoss.cs: pairs (teacher global i, student v != i), mean over pairs)
        t = torch.softmax((torch.tensor(teacher, dtype=torch.float64) - torch.tensor(center, dtype=torch.float64)) / tau_t, -1)
        check(f"loss B {batch} crops {crops} teacher probs", probs, t, 1e-5)
        st = t64(student)
        logq = torch.log_softmax(st / tau_s, -1).view(crops, batch, K)
        tt = t.view(2, batch, K)
        total, n = 0, 0
        rows = torch.zeros(crops, batch, dtype=torch.float64)
        for i in range(2):
            for v in range(crops):
                if v == i:
                    continue
                ce = -(tt[i] * logq[v]).sum(-1)
                rows[v] += ce.detach()
                total = total + ce.sum()
                n += batch
        loss = total / n
        loss.backward()
        check(f"loss B {batch} crops {crops} dStudent", ds, st.grad, 1e-5)
        check(f"loss B {batch} crops {crops} rowLoss", row_loss, rows.reshape(-1), 1e-6)
        check(f"loss B {batch} crops {crops} loss", [row_loss.sum() / (2 * (crops - 1) * batch)], [loss.item()], 1e-6)
        c = center.copy()
        m.run("dino_center_update", ceil(K, 256), 256, teacher, c, 2 * batch, 0.9)
        check(f"center_update B {batch}", c, 0.9 * center.astype(np.float64) + 0.1 * teacher.astype(np.float64).mean(0), 1e-6)
        # the data-parallel pair: one rank's column sums, (all-reduced), then the update from the sums of all 2B rows;
        # on one rank bit for bit the single kernel's result
        sums = np.zeros(K, np.float64)
        m.run("dino_center_column_sums", ceil(K, 256), 256, teacher, sums, 2 * batch)
        check(f"center_column_sums B {batch}", sums, teacher.astype(np.float64).sum(0), 1e-12)
        c2 = center.copy()
        m.run("dino_center_update_sums", ceil(K, 256), 256, sums, c2, 2 * batch, 0.9)
        check(f"center_update_sums B {batch} vs dino_center_update", c2, c, 0)
        half = np.zeros(K, np.float64)
        m.run("dino_center_column_sums", ceil(K, 256), 256, teacher[batch:], half, batch)
        rank_sums = half.copy()
        m.run("dino_center_column_sums", ceil(K, 256), 256, teacher[:batch], half, batch)
        rank_sums += half
        c3 = center.copy()
        m.run("dino_center_update_sums", ceil(K, 256), 256, rank_sums, c3, 2 * batch, 0.9)
        check(f"center_update_sums two shards B {batch}", c3, 0.9 * center.astype(np.float64) + 0.1 * teacher.astype(np.float64).mean(0), 1e-6)


def check_parameter_passes(m):
    def table(name, typ):
        return np.array(re.search(r"__constant__ " + typ + " " + name + r"\[[^\]]*\] = \{ ([^}]*) \}", m.src).group(1).split(", "), np.int64)
    off, cnt, tr, first = table("c_tensor_offset", "long long"), table("c_tensor_count", "long long"), table("c_tensor_trainable", "int"), table("c_tensor_first_chunk", "int")
    n, L, chunks_ = len(off), m.define("DINO_FLAT_LENGTH"), m.define("DINO_PARAM_CHUNKS")
    grads = rnd(L, scale=0.05)
    partials, norms = np.zeros(chunks_, np.float64), np.zeros(n, np.float64)
    m.run("dino_grad_sqnorm", chunks_, 256, grads, partials)
    m.run("dino_grad_norms", ceil(n, 128), 128, partials, norms)
    ref = np.array([np.sqrt((grads[o:o + c].astype(np.float64) ** 2).sum()) if t else 0 for o, c, t in zip(off, cnt, tr)])
    check("grad_norms", norms, ref, 1e-9)
    clipped = grads.copy()
    max_norm = float(np.median(ref[ref > 0]))
    m.run("dino_grad_clip", chunks_, 256, clipped, norms, max_norm)
    want = grads.astype(np.float64).copy()
    for o, c, t, nn in zip(off, cnt, tr, norms):  # the kernel's own norms: the coefficient is compared, not the sum order
        coef = max_norm / (nn + 1e-6)
        if t and coef < 1:
            want[o:o + c] = grads[o:o + c] * F32(coef)
    check("grad_clip", clipped, want, 0)
    p0, m0, v0 = rnd(L), rnd(L, scale=0.01), np.abs(rnd(L, scale=1e-4))
    p, mm, vv = p0.copy(), m0.copy(), v0.copy()
    hyper, (b1, b2, eps) = adamw_hyper(n, tr), ADAMW_BETAS_EPS
    m.run("dino_adamw", chunks_, 256, p, clipped, mm, vv, hyper, float(b1), float(b2), float(eps))
    wp, wm, wv = p0.copy(), m0.copy(), v0.copy()
    for t in range(n):
        if hyper[4 * t + 3] == 0 or not tr[t]:
            continue
        s = slice(off[t], off[t] + cnt[t])
        g = clipped[s]
        wm[s] = b1 * m0[s] + (F32(1) - b1) * g
        wv[s] = b2 * v0[s] + (F32(1) - b2) * g * g
        wp[s] = p0[s] * hyper[4 * t + 2] - hyper[4 * t] * wm[s] / (np.sqrt(wv[s]) / hyper[4 * t + 1] + eps)
    check("adamw m", mm, wm, 0)
    check("adamw v", vv, wv, 0)
    check("adamw w", p, wp, 0)
    teacher = p0.copy()
    m.run("dino_teacher_ema", min(ceil(L, 1024), 8192), 256, teacher, p, L, 0.996)
    check("teacher_ema", teacher, F32(0.996) * p0 + (F32(1) - F32(0.996)) * p, 0)


CHECKS = [check_layernorm, check_bias_grad, check_attention, check_rows, check_head, check_resize, check_loss, check_parameter_passes]


def main():
    args = sys.argv[1:]
    filt = None
    if "-k" in args:
        i = args.index("-k"); filt = args[i + 1]; del args[i:i + 2]
    snap = os.path.join(ROOT, "Tests/DinoCompiled.Tests/Cuda/_snapshots")
    files = args or [os.path.join(snap, "CudaSourceTests.GeneratedCudaFile#FmnistTiny.verified.cs"),
                     os.path.join(snap, "CudaSourceTests.GeneratedCudaFile#VitSmall16.verified.cs")]
    for path in files:
        m = Module(path)
        print(f"{m.name}: D {m.D}, K {m.K}")
        for c in CHECKS:
            if filt and not re.search(filt, c.__name__):
                continue
            print(c.__name__)
            c(m)
    print("FAILED: " + ", ".join(FAILED) if FAILED else "all checks passed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
