#!/usr/bin/env python3
"""Compiles the CUDA module of every generated model with NVRTC to sm_90 CUBIN and reports registers and spills.

Usage: tools/cuda/compile_check.py [generated *.Cuda.g.cs files...]
Without arguments it reads Models/obj/Generated/**/*.Cuda.g.cs (build Models first). Exits 1 on a compile error or a
spill. Needs libnvrtc (Debian's libnvrtc11.2, non-free). A developer tool; the CI check is the C# NVRTC test.
"""
import ctypes, glob, os, re, sys

def extract(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'private const string CudaSource = """\n(.*?)\n(\s*)""";', text, re.S)
    if not m:
        raise SystemExit(f"{path}: no CudaSource")
    indent = m.group(2)
    return "\n".join(l[len(indent):] if l.startswith(indent) else l.lstrip() for l in m.group(1).split("\n"))

def compile_source(nvrtc, name, src, arch):
    prog = ctypes.c_void_p()
    assert nvrtc.nvrtcCreateProgram(ctypes.byref(prog), src.encode(), (name + ".cu").encode(), 0, None, None) == 0
    opts = [f"--gpu-architecture={arch}".encode(), b"--ptxas-options=-v", b"-lineinfo", b"--std=c++17"]
    rc = nvrtc.nvrtcCompileProgram(prog, len(opts), (ctypes.c_char_p * len(opts))(*opts))
    size = ctypes.c_size_t(); nvrtc.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
    log = ctypes.create_string_buffer(size.value); nvrtc.nvrtcGetProgramLog(prog, log)
    return rc, log.value.decode(errors="replace")

def main():
    arch = os.environ.get("DINO_CUDA_ARCH", "sm_90")
    nvrtc = ctypes.CDLL(os.environ.get("DINO_NVRTC", "libnvrtc.so.11.2"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(root, "Models/obj/Generated/**/*.Cuda.g.cs"), recursive=True))
    failed = False
    for path in files:
        name = os.path.basename(path).split(".")[2] if os.path.basename(path).count(".") > 3 else os.path.basename(path)
        rc, log = compile_source(nvrtc, name, extract(path), arch)
        kernels, spills, worst = 0, 0, (0, "")
        current = None
        for line in log.splitlines():
            m = re.search(r"Compiling entry function '(\w+)'", line)
            if m: current = m.group(1); kernels += 1
            m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
            if m and (int(m.group(1)) or int(m.group(2))):
                spills += 1; print(f"  SPILL {current}: {line.strip()}")
            m = re.search(r"Used (\d+) registers", line)
            if m and int(m.group(1)) > worst[0]: worst = (int(m.group(1)), current)
        errors = [l for l in log.splitlines() if "error" in l]
        status = "ok" if rc == 0 and not spills else "FAILED"
        failed |= status != "ok"
        print(f"{name}: {status}, {kernels} kernels, {spills} with spills, most registers {worst[0]} ({worst[1]})")
        for l in errors[:20]: print("  " + l)
        if os.environ.get("DINO_CUDA_VERBOSE"):
            print(log)
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
