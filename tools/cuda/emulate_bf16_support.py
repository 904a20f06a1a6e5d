"""Support for tools/cuda/emulate_bf16.py: the emulated module with bf16 buffers, bf16 in numpy (a nearest-even rounding
written from the definition), float64 references of GELU, and the two kinds of check (a per-element bf16 bound, and bit
for bit). Imports tools/cuda/emulate.py's Module rather than repeating it.
"""
import ctypes, math, os, re, sys, tempfile, types
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import torch  # noqa: F401  emulate.py imports torch at the top for its own checks; Module does not use it
except ImportError:
    sys.modules["torch"] = types.ModuleType("torch")
import emulate as emu  # noqa: E402
from compile_check import extract  # noqa: E402

F32 = np.float32
U = 2.0 ** -8  # bf16 unit roundoff
POINTERS = {"float": np.float32, "double": np.float64, "unsigned short": np.uint16, "unsigned int": np.uint32}
POISON_BF16 = 0xFFFF  # a NaN

# Emulator-only kernels appended to the module: the conversion functions one by one, on every element.
TEST_KERNELS = r"""
extern "C" __global__ void emu_bf16_instruction(const float* __restrict__ x, unsigned short* __restrict__ y, long long count)
{ for (long long i = global_id(); i < count; i += grid_stride()) y[i] = dino_f32_to_bf16(x[i]); }
extern "C" __global__ void emu_bf16x2_instruction(const float* __restrict__ x, unsigned int* __restrict__ y, long long pairs)
{ for (long long i = global_id(); i < pairs; i += grid_stride()) y[i] = dino_f32x2_to_bf16x2(x[2 * i], x[2 * i + 1]); }
extern "C" __global__ void emu_bf16_software(const float* __restrict__ x, unsigned short* __restrict__ y, long long count)
{ for (long long i = global_id(); i < count; i += grid_stride()) y[i] = dino_f32_to_bf16_software(x[i]); }
"""


class Bf16Module(emu.Module):
    """emulate.Module over the module's source plus TEST_KERNELS, whose launches also take bf16 (uint16) buffers."""

    pointer_types = POINTERS

    def __init__(self, path):
        with tempfile.NamedTemporaryFile("w", suffix="." + os.path.basename(path), delete=False) as f:
            f.write('private const string CudaSource = """\n' + extract(path) + "\n" + TEST_KERNELS + '\n""";\n')
        super().__init__(f.name)
        os.unlink(f.name)
        self.name = os.path.basename(path)


# ---- bf16 in numpy -------------------------------------------------------------------------------------------------
def to_bf16(x):
    """Round to nearest, ties to even, from the definition: the two bf16 neighbours of x compared by their float64
    distances (exact), not by bit carries. NaN -> 0x7fff, infinities kept, subnormals kept."""
    with np.errstate(invalid="ignore"):  # infinities and NaN give NaN distances; they are replaced at the end
        return _to_bf16(np.ascontiguousarray(x, dtype=F32))


def _to_bf16(x):
    bits = x.view(np.uint32).astype(np.int64)
    down = bits & 0xFFFF0000                       # the neighbour toward zero
    exponent = (bits >> 23) & 0xFF
    ulp = np.ldexp(1.0, np.maximum(exponent, 1) - 127 - 7)  # bf16 spacing at down (subnormals: 2^-133)
    xd = x.astype(np.float64)
    dv = down.astype(np.uint32).view(F32).astype(np.float64)
    uv = dv + np.copysign(ulp, xd)                 # the neighbour away from zero (2^128 past the largest finite)
    below, above = np.abs(xd - dv), np.abs(uv - xd)
    up = (above < below) | ((above == below) & ((down >> 16) & 1 == 1))
    result = np.where(up, (down >> 16) + 1, down >> 16)
    result = np.where(np.isinf(x), bits >> 16, result)
    result = np.where(np.isnan(x), 0x7FFF, result)
    return result.astype(np.uint16)


def from_bf16(h):
    return (np.asarray(h, np.uint16).astype(np.uint32) << 16).view(F32)


def f64(h):
    return from_bf16(h).astype(np.float64)


def rnd_bf16(*shape, scale=1.0):
    return to_bf16(emu.rnd(*shape, scale=scale))


def poisoned_bf16(*shape):
    return np.full(shape, POISON_BF16, np.uint16)


def poisoned(*shape):
    return np.full(shape, np.nan, F32)


def check_bf16(label, got, want, tol32):
    """Per element: |got - ref| <= 2^-8 |ref| + (1 + 2^-8) tol32 max|ref| (+ 2^-133 for bf16 subnormals)."""
    g = f64(got)
    w = np.asarray(want, np.float64)
    scale = max(1e-30, np.abs(w).max())
    bound = U * np.abs(w) + (1 + U) * tol32 * scale + 2.0 ** -133
    ratio = (np.abs(g - w) / bound).max() if g.size else 0.0
    norm = np.abs(g - w).max() / scale if g.size else 0.0
    ok = g.shape == w.shape and np.all(np.isfinite(g)) and ratio <= 1
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: max |err| / bound = {ratio:.2f} (bound 2^-8 |ref| + {tol32:.0e} max|ref|), max |err| / max |ref| = {norm:.2e}")
    if not ok:
        emu.FAILED.append(label)


def check_bits(label, got, want):
    got, want = np.asarray(got), np.asarray(want)
    same = got.shape == want.shape and got.dtype == want.dtype
    bad = int(np.count_nonzero(got.view(np.uint8) != want.view(np.uint8))) if same else -1
    ok = same and bad == 0
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: bit for bit ({got.size} values{'' if ok else f', {bad} bytes differ'})")
    if not ok:
        emu.FAILED.append(label)


def erf64(x):
    return np.frompyfunc(math.erf, 1, 1)(x).astype(np.float64)


def gelu64(x):
    return 0.5 * x * (1 + erf64(x / math.sqrt(2)))


def gelu_grad64(x):
    return 0.5 * (1 + erf64(x / math.sqrt(2))) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def ln_eps(m):
    return float(np.frombuffer(int(re.search(r"0x([0-9A-F]+)u", m.defines["DINO_LN_EPS"]).group(1), 16).to_bytes(4, "little"), F32)[0])



