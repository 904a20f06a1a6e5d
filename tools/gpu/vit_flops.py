"""Model FLOPs of one DINO training step of a ViT, independent of any implementation.

The count is the one `dino inspect` prints: 2 x the multiply-adds of the matrix products (patch embedding,
qkv, the two attention products, attention projection, MLP, the DINO head's three Linears and its
weight-normalised last layer). LayerNorm, GELU, softmax, the loss, the optimizer and the position-embedding
interpolation are not counted (they are a fraction of a percent for ViT-S/16).

Per crop of side S, patch p, channels C, width D, depth L, MLP hidden H, N = (S/p)^2 + 1 tokens:
    backbone MACs = (S/p)^2 * C*p*p * D  +  L * (N * (4*D*D + 2*D*H) + 2*N*N*D)
    head MACs     = D*Hh + (nlayers-2)*Hh*Hh + Hh*Bn + Bn*K        (one CLS row)
    forward FLOPs = 2 * (backbone MACs + head MACs)
One training step of `batch` images, G = 2 global crops and Lc local crops per image:
    teacher: forward on the G globals (no backward)
    student: forward + backward on all G + Lc crops, backward = 2 x forward, so 3 x forward
    FLOPs/step = batch * (G * F(global) + 3 * (G * F(global) + Lc * F(local)))
For ViT-S/16 (224 / 96, 10 local crops): F(224) = 9.24 GFLOPs, F(96) = 1.66 GFLOPs,
123.8 GFLOPs per image, 7.92 TFLOPs per step of 64 images.
"""

VIT_SMALL_16 = dict(image_size=224, patch=16, channels=3, embed_dim=384, depth=12, heads=6, mlp_hidden=1536,
                    out_dim=65536, head_nlayers=3, head_hidden=2048, head_bottleneck=256,
                    global_crop=224, local_crop=96)


def forward_flops(cfg, crop):
    """Forward FLOPs of backbone + head for one crop of side `crop`."""
    g = crop // cfg["patch"]
    n = g * g + 1
    d, h = cfg["embed_dim"], cfg["mlp_hidden"]
    patch = g * g * cfg["channels"] * cfg["patch"] ** 2 * d
    blocks = cfg["depth"] * (n * (4 * d * d + 2 * d * h) + 2 * n * n * d)
    hh, bn = cfg["head_hidden"], cfg["head_bottleneck"]
    head = d * hh + (cfg["head_nlayers"] - 2) * hh * hh + hh * bn + bn * cfg["out_dim"]
    return 2 * (patch + blocks + head)


def step_flops(cfg, batch, local_crops=10, global_crops=2):
    """Model FLOPs of one DINO step: teacher forward on the globals + 3 x student forward on all crops."""
    fg = forward_flops(cfg, cfg["global_crop"])
    fl = forward_flops(cfg, cfg["local_crop"]) if local_crops else 0
    return batch * (global_crops * fg + 3 * (global_crops * fg + local_crops * fl))


if __name__ == "__main__":
    c = VIT_SMALL_16
    print(f"F(224) = {forward_flops(c, 224) / 1e9:.2f} GFLOPs, F(96) = {forward_flops(c, 96) / 1e9:.2f} GFLOPs, "
          f"per image {step_flops(c, 1) / 1e9:.1f} GFLOPs, batch 64 {step_flops(c, 64) / 1e12:.2f} TFLOPs")
