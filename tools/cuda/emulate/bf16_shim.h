// The bf16 conversion instructions of the generated modules, for the CPU emulator (included by cuda_shim.h). The module
// defines dino_f32_to_bf16 and dino_f32x2_to_bf16x2 only when __CUDA_ARCH__ is set (NVRTC), as inline PTX
// (cvt.rn.bf16.f32, cvt.rn.bf16x2.f32); here they are written from the instruction's definition: round to nearest, ties
// to even, subnormals kept (no .ftz), overflow to infinity, NaN to the canonical bf16 NaN 0x7fff (what cuda_bf16.hpp's
// host path gives for the instruction). The truncate-and-compare form below is deliberately not the module's carry
// trick (dino_f32_to_bf16_software), so tools/cuda/emulate_bf16.py checks each against the other and against float64.
#pragma once
#include <cstring>

inline unsigned int __float_as_uint(float f) { unsigned int u; std::memcpy(&u, &f, 4); return u; }

// cvt.rn.bf16.f32 d, a
inline unsigned short emu_cvt_rn_bf16_f32(float a)
{
    const unsigned int x = __float_as_uint(a);
    if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fffu;
    unsigned int kept = x >> 16;
    const unsigned int dropped = x & 0xffffu;
    if (dropped > 0x8000u || (dropped == 0x8000u && (kept & 1u) != 0)) kept += 1; // the magnitude bits carry into the exponent
    return (unsigned short)kept;
}

// cvt.rn.bf16x2.f32 d, a, b: a to the upper half of d, b to the lower.
inline unsigned int emu_cvt_rn_bf16x2_f32(float a, float b) { return ((unsigned int)emu_cvt_rn_bf16_f32(a) << 16) | emu_cvt_rn_bf16_f32(b); }

inline unsigned short dino_f32_to_bf16(float f) { return emu_cvt_rn_bf16_f32(f); }
inline unsigned int dino_f32x2_to_bf16x2(float lo, float hi) { return emu_cvt_rn_bf16x2_f32(hi, lo); }

