#!/usr/bin/python3
"""Regenerates data/fashion-mnist-subset/: a class-balanced, deterministic subset of Fashion-MNIST.

Train: the first 900 training images of each class (9,000), test: the first 200 test images of each class (2,000),
each in the original order. Written as gzip IDX files with the original names, so the reader that opens the full set
opens this one. gzip level 9 with mtime 0 and no file name, so the bytes are the same on every run.

    /usr/bin/python3 tools/data/make_subset.py [--source /usr/share/datasets/fashion-mnist] [--out data/fashion-mnist-subset]
"""
import argparse
import gzip
import hashlib
import os
import struct
import sys

import numpy as np

TRAIN_PER_CLASS = 900
TEST_PER_CLASS = 200
CLASSES = 10
SIZE_LIMIT = 5_000_000  # bytes, for the four files together


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        sys.exit(f"{path}: holds {data.size} values, header says {dims}")
    return data.reshape(dims)


def find(source, name):
    for candidate in (os.path.join(source, name), os.path.join(source, name + ".gz")):
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"{os.path.join(source, name)}(.gz): no such file")


def first_per_class(labels, per_class):
    """Indices of the first `per_class` images of each class, in dataset order."""
    counts = np.zeros(CLASSES, dtype=np.int64)
    chosen = []
    for i, label in enumerate(labels):
        if counts[label] < per_class:
            counts[label] += 1
            chosen.append(i)
    if (counts < per_class).any():
        sys.exit(f"some class has fewer than {per_class} images: {counts.tolist()}")
    return np.array(chosen, dtype=np.int64)


def write_idx_gz(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw:
        # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "fashion-mnist-subset"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    total = 0
    for prefix, per_class in (("train", TRAIN_PER_CLASS), ("t10k", TEST_PER_CLASS)):
        images = read_idx(find(args.source, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(find(args.source, f"{prefix}-labels-idx1-ubyte"))
        chosen = first_per_class(labels, per_class)
        for name, array in ((f"{prefix}-images-idx3-ubyte.gz", images[chosen]), (f"{prefix}-labels-idx1-ubyte.gz", labels[chosen])):
            path = os.path.join(args.out, name)
            write_idx_gz(path, array)
            size = os.path.getsize(path)
            total += size
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            print(f"{name}: {array.shape[0]} items, {size} bytes, sha256 {digest}")
    print(f"total: {total} bytes")
    if total > SIZE_LIMIT:
        sys.exit(f"the subset is {total} bytes, over the {SIZE_LIMIT}-byte limit")


if __name__ == "__main__":
    main()
