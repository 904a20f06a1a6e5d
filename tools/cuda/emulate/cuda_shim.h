// A tiny CPU emulation of the CUDA features the generated DinoCompiled modules use, so the real kernel text can run on
// a machine without a GPU: each block runs as blockDim.x std::threads (one per CUDA thread), __syncthreads is a block
// barrier, __shfl_xor_sync a per-warp exchange through memory, __shared__ variables are function statics (one block
// runs at a time). Exited threads leave the barriers (arrive_and_drop), as on the GPU. A shuffle that reads an exited
// or absent lane is reported (the hardware result would be undefined with a full mask). fp32 arithmetic is plain
// IEEE (compile with -ffp-contract=off), so fmaf is the only fused operation, as in the CUDA source.
// Used by tools/cuda/emulate.py; not part of the build.
#pragma once
#include <atomic>
#include <barrier>
#include <cmath>
#include <math.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>
#include "bf16_shim.h" // the bf16 conversion instructions

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

struct float4 { float x, y, z, w; };
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

#define __global__
#define __device__
#define __constant__
#define __shared__ static
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __align__(n) __attribute__((aligned(n)))

inline std::barrier<>* emu_block_barrier;
inline std::barrier<>* emu_warp_barrier[32];
inline double emu_slots[32][32];
inline bool emu_exited[32][32];
inline std::atomic<int> emu_errors{0};

inline void __syncthreads() { emu_block_barrier->arrive_and_wait(); }

// __shfl_sync: the value of lane src (of the same warp).
template <class T> inline T emu_shfl(T v, int src)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    std::memcpy(&emu_slots[warp][lane], &v, sizeof(T));
    emu_warp_barrier[warp]->arrive_and_wait();
    if (emu_exited[warp][src] || (int)(warp * 32 + src) >= (int)blockDim.x)
    {
        if (emu_errors.fetch_add(1) < 5) std::fprintf(stderr, "shuffle reads exited/absent lane %d of warp %d (block %u,%u)\n", src, warp, blockIdx.x, blockIdx.y);
    }
    T r;
    std::memcpy(&r, &emu_slots[warp][src], sizeof(T));
    emu_warp_barrier[warp]->arrive_and_wait();
    return r;
}
template <class T> inline T emu_shfl_xor(T v, int o) { return emu_shfl(v, (int)(threadIdx.x & 31) ^ o); }
inline float __shfl_xor_sync(unsigned, float v, int o) { return emu_shfl_xor(v, o); }

inline unsigned int __shfl_sync(unsigned, unsigned int v, int src) { return emu_shfl(v, src); }
inline float __shfl_sync(unsigned, float v, int src) { return emu_shfl(v, src); }
inline double __shfl_xor_sync(unsigned, double v, int o) { return emu_shfl_xor(v, o); }

inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __expf(float x) { return std::exp(x); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline int min(int a, int b) { return a < b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }

// Runs body for every block of the grid, one std::thread per CUDA thread.
inline void emu_launch(unsigned gx, unsigned gy, unsigned bx, const std::function<void()>& body)
{
    gridDim = dim3{gx, gy, 1};
    blockDim = dim3{bx, 1, 1};
    const int warps = (int)(bx + 31) / 32;
    for (unsigned by = 0; by < gy; by++)
        for (unsigned bxi = 0; bxi < gx; bxi++)
        {
            std::barrier<> block((std::ptrdiff_t)bx);
            std::vector<std::unique_ptr<std::barrier<>>> wb;
            for (int w = 0; w < warps; w++)
            {
                const int lanes = (int)bx - 32 * w < 32 ? (int)bx - 32 * w : 32;
                wb.push_back(std::make_unique<std::barrier<>>(lanes));
                emu_warp_barrier[w] = wb.back().get();
            }
            emu_block_barrier = &block;
            std::memset(emu_exited, 0, sizeof(emu_exited));
            std::vector<std::thread> threads;
            threads.reserve(bx);
            for (unsigned t = 0; t < bx; t++)
                threads.emplace_back([=, &body] {
                    threadIdx = dim3{t, 0, 0};
                    blockIdx = dim3{bxi, by, 0};
                    body();
                    emu_exited[t >> 5][t & 31] = true;
                    emu_warp_barrier[t >> 5]->arrive_and_drop();
                    emu_block_barrier->arrive_and_drop();
                });
            for (auto& th : threads) th.join();
        }
}

#include "mma_shim.h" // mma.sync m16n8k16 bf16
