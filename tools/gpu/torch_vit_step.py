#!/usr/bin/python3
"""Times the DINO training step of ViT-S/16 in PyTorch on CUDA: the baseline `tools/gpu/gpu-check.sh` compares
`dino gpu check` against.

The step is the one DinoCompiled times (and tools/bench/torch_step.py times on the CPU): batch B images, each
2 global 224 crops + 10 local 96 crops; teacher forward on the globals (no grad); student forward on all
crops, each crop size as one batch through the backbone (the 96 crops use DINO's bicubic position-embedding
interpolation), per-sample drop path (rate 0 -> 0.1 linearly over depth, a separate draw per residual
branch), the head once on all rows; the DINO loss (student temp 0.1, teacher temp 0.04, centering with
momentum 0.9); backward; per-tensor gradient clipping at 3.0; AdamW with DINO's two parameter groups (no
weight decay for biases and 1-D parameters); teacher EMA (0.996); the center update.

The networks are tools/fixtures/dino_reference.py's, rewritten GPU-friendly with the same module names and
state_dict keys: drop path scales are drawn on the device in one call, attention can use
F.scaled_dot_product_attention (torch >= 2.0), the weight-normalised last layer computes g * v / |v| in its
forward instead of a hook (so torch.compile sees it), and the clipping never synchronises with the host
(clip coefficient clamped to 1 instead of `if coef < 1`, the same arithmetic). `--check-reference` checks the
forward against dino_reference.py.

Variants (--variants, comma-separated; one JSON line each on stdout):
  eager-fp32    float32, TF32 off (matmul and cuDNN), explicit softmax attention (the reference's)
  eager-tf32    float32 with TF32 matmuls/convolutions, SDPA attention (not in the default set)
  eager-bf16    torch.autocast(bfloat16), SDPA attention
  compile-bf16  torch.compile of the student's and teacher's backbone and head, autocast bf16, SDPA
Each line: {"variant", "images_per_second", "ms_per_step", "batch", "torch", ...}; a variant that cannot run
here (torch.compile before 2.0) prints {"variant", "skipped": reason}; one that fails prints {"variant",
"error": ...} and the exit code is 1.

  python3 tools/gpu/torch_vit_step.py                                   # CUDA, B 64, the three default variants
  python3 tools/gpu/torch_vit_step.py --device cpu --batch 2 --steps 1  # smoke test on the CPU
"""
import argparse
import json
import math
import os
import sys
import time
import traceback

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vit_flops import step_flops  # noqa: E402

MODELS = {
    "vit-small-16": dict(image_size=224, patch=16, channels=3, embed_dim=384, depth=12, heads=6, mlp_hidden=1536,
                         layer_norm_eps=1e-6, out_dim=65536, norm_last_layer=True, head_nlayers=3, head_hidden=2048,
                         head_bottleneck=256, global_crop=224, local_crop=96),
    # For quick checks on a CPU; same config as tools/bench/torch_step.py.
    "fmnist-tiny": dict(image_size=28, patch=4, channels=1, embed_dim=128, depth=4, heads=4, mlp_hidden=512,
                        layer_norm_eps=1e-6, out_dim=4096, norm_last_layer=True, head_nlayers=3, head_hidden=512,
                        head_bottleneck=128, global_crop=28, local_crop=12),
}
VARIANTS = ["eager-fp32", "eager-tf32", "eager-bf16", "compile-bf16"]
DEFAULT_VARIANTS = ["eager-fp32", "eager-bf16", "compile-bf16"]
HAS_SDPA = hasattr(F, "scaled_dot_product_attention")
HAS_COMPILE = hasattr(torch, "compile")


# ------------------------------------------------------------------------------------------------------------
# Networks: dino_reference.py's, with the same names (so the same state_dict keys)
# ------------------------------------------------------------------------------------------------------------

class PatchEmbed(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim):
        super().__init__()
        self.patch_size = patch_size
        self.num_patches = (img_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, num_heads, sdpa):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.sdpa = sdpa
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if self.sdpa:
            x = F.scaled_dot_product_attention(q, k, v)  # default scale 1/sqrt(head dim), as self.scale
        else:
            x = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1) @ v
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()  # exact (erf) GELU
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_hidden, eps, sdpa):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, num_heads, sdpa)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_hidden)

    def forward(self, x, attn_scale=None, mlp_scale=None):
        y = self.attn(self.norm1(x))
        x = x + (y if attn_scale is None else attn_scale[:, None, None] * y)
        y = self.mlp(self.norm2(x))
        return x + (y if mlp_scale is None else mlp_scale[:, None, None] * y)


class VisionTransformer(nn.Module):
    def __init__(self, cfg, sdpa):
        super().__init__()
        d = cfg["embed_dim"]
        self.patch_embed = PatchEmbed(cfg["image_size"], cfg["patch"], cfg["channels"], d)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.patch_embed.num_patches + 1, d))
        self.blocks = nn.ModuleList([Block(d, cfg["heads"], cfg["mlp_hidden"], cfg["layer_norm_eps"], sdpa)
                                     for _ in range(cfg["depth"])])
        self.norm = nn.LayerNorm(d, eps=cfg["layer_norm_eps"])

    def interpolate_pos_encoding(self, x, w, h):
        """DINO's: bicubic, scale factor (g + 0.1) / G."""
        npatch = x.shape[1] - 1
        N = self.pos_embed.shape[1] - 1
        if npatch == N and w == h:
            return self.pos_embed
        dim = x.shape[-1]
        G = int(math.sqrt(N))
        g = w // self.patch_embed.patch_size
        grid = self.pos_embed[:, 1:].reshape(1, G, G, dim).permute(0, 3, 1, 2)
        s = (g + 0.1) / G
        grid = F.interpolate(grid, scale_factor=(s, s), mode="bicubic")
        resized = grid.permute(0, 2, 3, 1).reshape(1, -1, dim)
        return torch.cat((self.pos_embed[:, :1], resized), dim=1)

    def forward(self, x, attn_scales=None, mlp_scales=None):
        """The CLS token after the final norm. attn_scales, mlp_scales: [depth, B] drop-path scales or None."""
        B, _, w, h = x.shape
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(B, -1, -1), x), dim=1)
        x = x + self.interpolate_pos_encoding(x, w, h)
        for i, blk in enumerate(self.blocks):
            x = blk(x) if attn_scales is None else blk(x, attn_scales[i], mlp_scales[i])
        return self.norm(x)[:, 0]


class WeightNormLinear(nn.Module):
    """nn.utils.weight_norm(nn.Linear(in, out, bias=False)) with dim 0, written out: weight = g * v / |v|_row.
    Keys weight_g [out, 1] and weight_v [out, in], as the hook version's."""

    def __init__(self, in_dim, out_dim, train_g):
        super().__init__()
        v = nn.Linear(in_dim, out_dim, bias=False).weight.detach().clone()
        self.weight_g = nn.Parameter(torch.ones(out_dim, 1), requires_grad=train_g)  # g first, as the hook's keys
        self.weight_v = nn.Parameter(v)

    def forward(self, x):
        return F.linear(x, self.weight_g * self.weight_v / self.weight_v.norm(dim=1, keepdim=True))


class DINOHead(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, hh, bn = cfg["embed_dim"], cfg["head_hidden"], cfg["head_bottleneck"]
        layers = [nn.Linear(d, hh), nn.GELU()]
        for _ in range(cfg["head_nlayers"] - 2):
            layers += [nn.Linear(hh, hh), nn.GELU()]
        layers.append(nn.Linear(hh, bn))
        self.mlp = nn.Sequential(*layers)
        self.last_layer = WeightNormLinear(bn, cfg["out_dim"], train_g=not cfg["norm_last_layer"])

    def forward(self, x):
        return self.last_layer(F.normalize(self.mlp(x), dim=-1, p=2))


class Network(nn.Module):
    def __init__(self, cfg, sdpa):
        super().__init__()
        self.backbone = VisionTransformer(cfg, sdpa)
        self.head = DINOHead(cfg)


def forward_multicrop(backbone, head, crops, scales):
    """MultiCropWrapper: each crop size through the backbone as one batch, CLS rows concatenated in crop
    order, then the head once on all rows. `backbone`/`head` may be torch.compile'd wrappers."""
    cls = torch.cat([backbone(x, *s) if s is not None else backbone(x) for x, s in zip(crops, scales)])
    return head(cls)


def dino_loss(student_out, teacher_out, center, ncrops, student_temp, teacher_temp, center_momentum):
    """DINOLoss.forward + update_center on one device (dino_reference.dino_loss)."""
    student_chunks = (student_out / student_temp).chunk(ncrops)
    teacher_chunks = F.softmax((teacher_out - center) / teacher_temp, dim=-1).detach().chunk(2)
    total, terms = 0, 0
    for iq, q in enumerate(teacher_chunks):
        for v in range(len(student_chunks)):
            if v == iq:
                continue
            total = total + torch.sum(-q * F.log_softmax(student_chunks[v], dim=-1), dim=-1).mean()
            terms += 1
    batch_center = torch.sum(teacher_out, dim=0, keepdim=True) / len(teacher_out)
    return total / terms, center * center_momentum + batch_center * (1 - center_momentum)


_RATES = {}


def drop_scales(depth, rows, rate_max, generator, device):
    """Per-sample stochastic-depth scales [depth, rows] for one residual branch: 0 or 1 / (1 - r_i). The rates
    are made once per device: a host-to-device copy in the step would synchronise with the GPU."""
    key = (depth, rate_max, str(device))
    if key not in _RATES:
        _RATES[key] = torch.tensor([rate_max * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)],
                                   device=device)
    rates = _RATES[key]
    keep = (torch.rand(depth, rows, generator=generator, device=device) >= rates[:, None]).float()
    return keep / (1 - rates[:, None])


# ------------------------------------------------------------------------------------------------------------
# One variant
# ------------------------------------------------------------------------------------------------------------

def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run_variant(variant, args, cfg, device):
    bf16 = variant.endswith("bf16")
    compiled = variant.startswith("compile")
    if compiled and not HAS_COMPILE:
        return {"skipped": f"torch.compile needs torch >= 2.0 (this is {torch.__version__})"}
    if args.attention == "auto":
        sdpa = HAS_SDPA and variant != "eager-fp32"
    else:
        sdpa = args.attention == "sdpa"
        if sdpa and not HAS_SDPA:
            return {"skipped": f"F.scaled_dot_product_attention needs torch >= 2.0 (this is {torch.__version__})"}
    tf32 = variant == "eager-tf32"
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32 or bf16  # bf16 variants: cuDNN's default (on); only fp32 leftovers
    torch.manual_seed(0)
    generator = torch.Generator(device=device).manual_seed(0)

    student, teacher = Network(cfg, sdpa).to(device), Network(cfg, sdpa).to(device)
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    named = [(n, p) for n, p in student.named_parameters() if p.requires_grad]
    regularized = [p for n, p in named if not n.endswith(".bias") and p.ndim > 1]
    not_regularized = [p for n, p in named if n.endswith(".bias") or p.ndim == 1]
    last_layer = [p for n, p in named if "last_layer" in n]
    optimizer = torch.optim.AdamW([{"params": regularized}, {"params": not_regularized, "weight_decay": 0.0}],
                                  lr=5e-4, weight_decay=0.04)
    student_params = [p for p in student.parameters()]
    teacher_params = [p for p in teacher.parameters()]

    s_backbone, s_head, t_backbone, t_head = student.backbone, student.head, teacher.backbone, teacher.head
    if compiled:
        kw = dict(dynamic=False)
        if args.compile_mode != "default":
            kw["mode"] = args.compile_mode
        s_backbone, s_head = torch.compile(s_backbone, **kw), torch.compile(s_head, **kw)
        t_backbone, t_head = torch.compile(t_backbone, **kw), torch.compile(t_head, **kw)

    b, nl, c, depth = args.batch, args.local_crops, cfg["channels"], cfg["depth"]
    gen_data = torch.Generator(device=device).manual_seed(1)
    global_crops = torch.randn(2 * b, c, cfg["global_crop"], cfg["global_crop"], device=device, generator=gen_data)
    local_crops = (torch.randn(nl * b, c, cfg["local_crop"], cfg["local_crop"], device=device, generator=gen_data)
                   if nl else None)
    crops = [global_crops] + ([local_crops] if nl else [])
    center = torch.zeros(1, cfg["out_dim"], device=device)
    autocast = (lambda: torch.autocast(device_type=device.type, dtype=torch.bfloat16)) if bf16 else None

    def step(freeze_last_layer):
        nonlocal center
        ctx = autocast() if autocast else _Null()
        with ctx:
            with torch.no_grad():
                teacher_out = forward_multicrop(t_backbone, t_head, [global_crops], [None])
            scales = [(drop_scales(depth, x.shape[0], args.drop_path, generator, device),
                       drop_scales(depth, x.shape[0], args.drop_path, generator, device)) for x in crops]
            student_out = forward_multicrop(s_backbone, s_head, crops, scales)
            loss, new_center = dino_loss(student_out.float(), teacher_out.float(), center, 2 + nl, 0.1, 0.04, 0.9)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        with torch.no_grad():
            grads = [p.grad for p in student_params if p.grad is not None]
            norms = torch._foreach_norm(grads) if hasattr(torch, "_foreach_norm") else [g.norm(2) for g in grads]
            for g, n in zip(grads, norms):  # DINO's per-tensor clip: coef = 3 / (|g| + 1e-6), applied if < 1
                g.mul_(torch.clamp(3.0 / (n + 1e-6), max=1.0))
        if freeze_last_layer:  # DINO's cancel_gradients_last_layer during its first epoch
            for p in last_layer:
                p.grad = None
        optimizer.step()
        with torch.no_grad():
            torch._foreach_mul_(teacher_params, 0.996)
            torch._foreach_add_(teacher_params, [p.detach() for p in student_params], alpha=1 - 0.996)
        center = new_center.detach()
        return loss

    t0 = time.perf_counter()
    loss = step(True)
    sync(device)
    first_step_s = time.perf_counter() - t0
    for _ in range(max(args.warmup - 1, 0)):
        loss = step(False)
    sync(device)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(args.steps):
            loss = step(False)
        end.record()
        torch.cuda.synchronize(device)
        elapsed = start.elapsed_time(end) / 1000.0
    else:
        t0 = time.perf_counter()
        for _ in range(args.steps):
            loss = step(False)
        elapsed = time.perf_counter() - t0
    loss_value = float(loss.detach().float().cpu())
    flops = step_flops(cfg, b, local_crops=nl)
    result = {
        "images_per_second": b * args.steps / elapsed,
        "ms_per_step": 1000 * elapsed / args.steps,
        "batch": b,
        "local_crops": nl,
        "steps": args.steps,
        "warmup": max(args.warmup, 1),
        "first_step_s": round(first_step_s, 3),
        "attention": "sdpa" if sdpa else "explicit",
        "tf32": bool(device.type == "cuda" and torch.backends.cuda.matmul.allow_tf32),
        "autocast": "bf16" if bf16 else None,
        "compiled": compiled,
        "flops_per_step": flops,
        "achieved_tflops": flops / (elapsed / args.steps) / 1e12,
        "loss": loss_value,
        "loss_finite": math.isfinite(loss_value),
    }
    if device.type == "cuda":
        result["peak_memory_gib"] = round(torch.cuda.max_memory_allocated(device) / 2 ** 30, 2)
    return result


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ------------------------------------------------------------------------------------------------------------
# --check-reference: the forward equals dino_reference.py's
# ------------------------------------------------------------------------------------------------------------

def check_reference(cfg_name):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
    import dino_reference
    cfg = MODELS[cfg_name]
    torch.manual_seed(0)
    ref = dino_reference.Network(cfg)
    ok = True
    for sdpa in ([False, True] if HAS_SDPA else [False]):
        mine = Network(cfg, sdpa)
        state = ref.state_dict()
        mine.load_state_dict(state, strict=True)
        with torch.no_grad():  # non-trivial weights: random position embeddings, cls token, last-layer g
            for p in list(mine.parameters()):
                p.add_(0.02 * torch.randn_like(p))
            ref.load_state_dict(mine.state_dict())
        depth, b = cfg["depth"], 2
        g = torch.randn(2 * b, cfg["channels"], cfg["global_crop"], cfg["global_crop"])
        l = torch.randn(4 * b, cfg["channels"], cfg["local_crop"], cfg["local_crop"])
        gen = torch.Generator().manual_seed(3)
        sg = (drop_scales(depth, 2 * b, 0.1, gen, "cpu"), drop_scales(depth, 2 * b, 0.1, gen, "cpu"))
        sl = (drop_scales(depth, 4 * b, 0.1, gen, "cpu"), drop_scales(depth, 4 * b, 0.1, gen, "cpu"))
        with torch.no_grad():
            _, want = ref.forward_multicrop(g, l, {"global": sg, "local": sl})
            got = forward_multicrop(mine.backbone, mine.head, [g, l], [sg, sl])
        err = ((got - want).norm() / want.norm()).item()
        keys_equal = list(ref.state_dict().keys()) == list(mine.state_dict().keys())
        passed = err < 1e-5 and keys_equal
        ok = ok and passed
        print(json.dumps({"check": "reference-forward", "model": cfg_name, "attention": "sdpa" if sdpa else "explicit",
                          "relative_error": err, "state_dict_keys_equal": keys_equal, "pass": passed}))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="vit-small-16", choices=sorted(MODELS))
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--local-crops", type=int, default=10)
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default 10 on CUDA, 2 on CPU)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed steps first, the first with the last layer frozen (default 5 on CUDA, 1 on CPU)")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                        help="comma-separated, of: " + ", ".join(VARIANTS))
    parser.add_argument("--attention", default="auto", choices=["auto", "sdpa", "explicit"],
                        help="auto: explicit for eager-fp32, SDPA for the others (when torch has it)")
    parser.add_argument("--drop-path", type=float, default=0.1)
    parser.add_argument("--compile-mode", default="default", help="torch.compile mode (default, max-autotune, ...)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (torch.set_num_threads)")
    parser.add_argument("--check-reference", action="store_true",
                        help="only check the networks' forward against tools/fixtures/dino_reference.py (CPU)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.check_reference:
        sys.exit(0 if check_reference(args.model) else 1)

    device = torch.device(args.device)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in VARIANTS:
            parser.error(f"unknown variant {v!r}; the variants are {', '.join(VARIANTS)}")
    if device.type == "cuda" and not torch.cuda.is_available():
        for v in variants:
            print(json.dumps({"variant": v, "error": "CUDA is not available to torch", "torch": torch.__version__}))
        sys.exit(1)
    args.steps = args.steps if args.steps is not None else (10 if device.type == "cuda" else 2)
    args.warmup = args.warmup if args.warmup is not None else (5 if device.type == "cuda" else 1)
    cfg = MODELS[args.model]
    common = {"model": args.model, "torch": torch.__version__, "device": str(device),
              "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"}
    failed = False
    for v in variants:
        try:
            result = run_variant(v, args, cfg, device)
        except Exception as e:  # report and go on with the next variant
            traceback.print_exc(file=sys.stderr)
            result = {"error": f"{type(e).__name__}: {str(e)[:500]}"}
            failed = True
        print(json.dumps({"variant": v, **result, **common}), flush=True)
        if device.type == "cuda":
            torch.cuda.empty_cache()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
