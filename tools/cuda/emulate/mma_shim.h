// The tensor-core instruction of the generated modules' flash attention, for the CPU emulator (included at the end of
// cuda_shim.h, which provides the threads and the warp barriers). The module defines dino_mma_bf16_m16n8k16 only when
// __CUDA_ARCH__ is set (NVRTC), as inline PTX from sm_80 and as shuffles before.
#pragma once
#include <cstring>

// mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 d, a, b, c (with c = d), for one warp, from the PTX ISA's
// fragment layout (g = lane / 4, t = lane % 4; two bf16 per register, the lower index in the low half):
// A (16 x 16): a0 (g, 2t..2t+1), a1 (g+8, 2t..), a2 (g, 2t+8..), a3 (g+8, 2t+8..); B (16 x 8): b0 (2t..2t+1, g),
// b1 (2t+8..2t+9, g); C, D (16 x 8): c0, c1 (g, 2t..2t+1), c2, c3 (g+8, 2t..2t+1). Every lane deposits its registers,
// the warp waits, and each lane rebuilds the whole A and B and computes its four outputs: written from the matrices,
// not from the module's shuffle-based dino_mma_bf16_m16n8k16_software, so the two check each other. Products of bf16
// are exact in fp32 and are summed here in double, then rounded once (the hardware's order is not specified).
inline unsigned int emu_mma_slots[32][32][6];
inline float emu_bf16_lo(unsigned int v) { unsigned int u = v << 16; float f; std::memcpy(&f, &u, 4); return f; }
inline float emu_bf16_hi(unsigned int v) { unsigned int u = v & 0xffff0000u; float f; std::memcpy(&f, &u, 4); return f; }
inline void dino_mma_bf16_m16n8k16(float* d, const unsigned int* a, const unsigned int* b)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int i = 0; i < 4; i++) emu_mma_slots[warp][lane][i] = a[i];
    emu_mma_slots[warp][lane][4] = b[0];
    emu_mma_slots[warp][lane][5] = b[1];
    emu_warp_barrier[warp]->arrive_and_wait();
    float A[16][16], B[16][8];
    for (int l = 0; l < 32; l++)
    {
        const int g = l >> 2, t = l & 3;
        const unsigned int* r = emu_mma_slots[warp][l];
        A[g][2 * t] = emu_bf16_lo(r[0]);         A[g][2 * t + 1] = emu_bf16_hi(r[0]);
        A[g + 8][2 * t] = emu_bf16_lo(r[1]);     A[g + 8][2 * t + 1] = emu_bf16_hi(r[1]);
        A[g][2 * t + 8] = emu_bf16_lo(r[2]);     A[g][2 * t + 9] = emu_bf16_hi(r[2]);
        A[g + 8][2 * t + 8] = emu_bf16_lo(r[3]); A[g + 8][2 * t + 9] = emu_bf16_hi(r[3]);
        B[2 * t][g] = emu_bf16_lo(r[4]);         B[2 * t + 1][g] = emu_bf16_hi(r[4]);
        B[2 * t + 8][g] = emu_bf16_lo(r[5]);     B[2 * t + 9][g] = emu_bf16_hi(r[5]);
    }
    emu_warp_barrier[warp]->arrive_and_wait();
    const int g = lane >> 2, t = lane & 3;
    const int rows[4] = { g, g, g + 8, g + 8 }, cols[4] = { 2 * t, 2 * t + 1, 2 * t, 2 * t + 1 };
    for (int i = 0; i < 4; i++)
    {
        double s = d[i];
        for (int k = 0; k < 16; k++) s += (double)A[rows[i]][k] * B[k][cols[i]];
        d[i] = (float)s;
    }
}
