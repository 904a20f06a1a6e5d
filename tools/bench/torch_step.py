#!/usr/bin/python3
"""Times the DINO training step of a zoo model in PyTorch (eager, float32, CPU) for `dino bench step`.

The step is the same one DinoCompiled times: teacher forward on the 2 global crops, student forward on all crops
(each crop size as one batch, the head once on all rows) with per-sample drop path, the DINO loss, backward,
per-tensor gradient clipping (3.0), AdamW with DINO's two parameter groups, teacher EMA and the center update.
The networks come from tools/fixtures/dino_reference.py, the PyTorch reference the fixtures are made with.
Prints one JSON line: {"images_per_second": ..., "ms_per_step": ..., "torch": ..., "threads": ...}.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from dino_reference import Network, dino_loss  # noqa: E402

MODELS = {
    # name: (config, global crop, local crop)
    "fmnist-tiny": (dict(image_size=28, patch=4, channels=1, embed_dim=128, depth=4, heads=4, mlp_hidden=512,
                         layer_norm_eps=1e-6, out_dim=4096, norm_last_layer=True, head_nlayers=3, head_hidden=512,
                         head_bottleneck=128), 28, 12),
    "vit-small-16": (dict(image_size=224, patch=16, channels=3, embed_dim=384, depth=12, heads=6, mlp_hidden=1536,
                          layer_norm_eps=1e-6, out_dim=65536, norm_last_layer=True, head_nlayers=3, head_hidden=2048,
                          head_bottleneck=256), 224, 96),
}


def drop_scales(depth, rows, rate_max, generator):
    """Per-sample stochastic depth scales for each block's two residual branches (0 or 1/(1-r))."""
    rates = [rate_max * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
    def draw():
        return torch.stack([(torch.rand(rows, generator=generator) >= r).float() / (1 - r) for r in rates])
    return draw(), draw()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fmnist-tiny", choices=sorted(MODELS))
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--local-crops", type=int, default=6)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)

    cfg, global_crop, local_crop = MODELS[args.model]
    student, teacher = Network(cfg), Network(cfg)
    teacher.load_state_dict(student.state_dict())
    for p in teacher.parameters():
        p.requires_grad = False
    regularized = [p for n, p in student.named_parameters() if p.requires_grad and not n.endswith(".bias") and p.ndim > 1]
    not_regularized = [p for n, p in student.named_parameters() if p.requires_grad and (n.endswith(".bias") or p.ndim == 1)]
    optimizer = torch.optim.AdamW([{"params": regularized}, {"params": not_regularized, "weight_decay": 0.0}], lr=5e-4, weight_decay=0.04)

    b, nl, c, k = args.batch, args.local_crops, cfg["channels"], cfg["out_dim"]
    global_crops = torch.randn(2 * b, c, global_crop, global_crop)
    local_crops = torch.randn(nl * b, c, local_crop, local_crop) if nl else None
    center = torch.zeros(1, k)

    def step(freeze_last_layer):
        nonlocal center
        with torch.no_grad():
            _, teacher_out = teacher.forward_multicrop(global_crops, None, None)
        scales = {"global": drop_scales(cfg["depth"], 2 * b, 0.1, generator)}
        if nl:
            scales["local"] = drop_scales(cfg["depth"], nl * b, 0.1, generator)
        _, student_out = student.forward_multicrop(global_crops, local_crops, scales)
        loss, new_center = dino_loss(student_out, teacher_out, center, 2 + nl, 0.1, 0.04, 0.9)
        optimizer.zero_grad()
        loss.backward()
        for p in student.parameters():
            if p.grad is not None:
                coef = 3.0 / (p.grad.norm(2) + 1e-6)
                if coef < 1:
                    p.grad.mul_(coef)
        if freeze_last_layer:
            for n, p in student.named_parameters():
                if "last_layer" in n:
                    p.grad = None
        optimizer.step()
        with torch.no_grad():
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.mul_(0.996).add_((1 - 0.996) * ps.detach())
        center = new_center.detach()

    for i in range(args.warmup):
        step(i == 0)
    start = time.perf_counter()
    for _ in range(args.steps):
        step(False)
    elapsed = time.perf_counter() - start
    print(json.dumps({"images_per_second": b * args.steps / elapsed, "ms_per_step": 1000 * elapsed / args.steps,
                      "torch": torch.__version__, "threads": args.threads}))


if __name__ == "__main__":
    main()
