#!/usr/bin/python3
"""Writes Tests/DinoCompiled.Tests/Data/Fixtures/pillow-reference.json: what Pillow (the library the reference DINO's
augmentations run on) makes of small random images, for the C# re-implementations to match byte for byte.

Cases: crop + bicubic resize (up, down, mixed, one axis unchanged; RGB and L), ImageEnhance brightness/contrast/color
(RGB and L, factors inside and outside [0, 1]), torchvision's adjust_hue algorithm (copied below; torchvision is not
installed here), convert("L") and ImageOps.solarize. Images are planar: [channels, height, width], as in C#.

    /usr/bin/python3 tools/data/make_pillow_fixtures.py
"""
import json
import os

import numpy as np
import PIL
from PIL import Image, ImageEnhance, ImageOps

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "DinoCompiled.Tests", "Data", "Fixtures", "pillow-reference.json")


def to_pil(planar):
    if planar.shape[0] == 1:
        return Image.fromarray(planar[0], "L")
    return Image.fromarray(np.ascontiguousarray(planar.transpose(1, 2, 0)), "RGB")


def to_planar(img):
    a = np.asarray(img)
    return a[None] if a.ndim == 2 else a.transpose(2, 0, 1)


def adjust_hue(img, hue_factor):
    # torchvision.transforms.functional_pil.adjust_hue (0.14), verbatim but for the checks.
    input_mode = img.mode
    if input_mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    with np.errstate(over="ignore"):
        np_h += np.array(hue_factor * 255).astype(np.uint8)
    h = Image.fromarray(np_h, "L")
    return Image.merge("HSV", (h, s, v)).convert(input_mode)


def case(op, source, expected, **params):
    return {"op": op, "channels": int(source.shape[0]), "height": int(source.shape[1]), "width": int(source.shape[2]),
            "source": source.ravel().tolist(), "expected": expected.ravel().tolist(), **params}


def main():
    rng = np.random.default_rng(20240601)
    cases = []
    rgb = rng.integers(0, 256, size=(3, 37, 29), dtype=np.uint8)
    # A smooth gradient plus noise: ringing and clipping both show up in resizes of it.
    yy, xx = np.mgrid[0:37, 0:29]
    gray = np.clip((yy * 5 + xx * 3) % 256 + rng.integers(-20, 21, size=(37, 29)), 0, 255).astype(np.uint8)[None]

    for source in (rgb, gray):
        for (top, left, h, w), (oh, ow) in [
            ((0, 0, 37, 29), (37, 29)),   # identity
            ((3, 2, 20, 17), (48, 48)),   # upscale
            ((1, 4, 33, 24), (12, 12)),   # downscale (antialiased)
            ((5, 0, 30, 29), (16, 29)),   # vertical only
            ((0, 3, 37, 11), (37, 28)),   # horizontal only
            ((2, 2, 9, 26), (20, 7)),     # up one way, down the other
        ]:
            img = to_pil(source).crop((left, top, left + w, top + h)).resize((ow, oh), Image.BICUBIC)
            cases.append(case("resize", source, to_planar(img), box=[top, left, h, w], output=[oh, ow]))

    small_rgb = rng.integers(0, 256, size=(3, 9, 11), dtype=np.uint8)
    small_gray = rng.integers(0, 256, size=(1, 9, 11), dtype=np.uint8)
    for source in (small_rgb, small_gray):
        for factor in (0.6, 1.0, 1.37, 0.0):
            for op, enhancer in (("brightness", ImageEnhance.Brightness), ("contrast", ImageEnhance.Contrast), ("saturation", ImageEnhance.Color)):
                f = np.float32(factor).item()
                cases.append(case(op, source, to_planar(enhancer(to_pil(source)).enhance(f)), factor=f))
        for hue in (0.1, -0.1, 0.037, -0.5, 0.5):
            h = np.float32(hue).item()
            cases.append(case("hue", source, to_planar(adjust_hue(to_pil(source), h)), factor=h))
        grayed = to_planar(to_pil(source).convert("L"))
        cases.append(case("grayscale", source, np.repeat(grayed, source.shape[0], axis=0)))
        cases.append(case("solarize", source, to_planar(ImageOps.solarize(to_pil(source), 128))))

    with open(OUT, "w") as f:
        json.dump({"pillow": PIL.__version__, "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
