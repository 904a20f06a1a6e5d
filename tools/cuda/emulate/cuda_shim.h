// A tiny CPU emulation of the CUDA features the generated DinoCompiled modules use, so the real kernel text can run on
// a machine without a GPU: each CUDA thread of a block is a fiber (ucontext) with its own stack, all on the calling
// thread; __syncthreads is a block barrier and __shfl_xor_sync a per-warp exchange through memory, each barrier
// switching to the next fiber until every one has arrived; __shared__ variables are function statics (one block runs
// at a time). Exited threads leave the barriers (arrive_and_drop), as on the GPU. A shuffle that reads an exited or
// absent lane is reported (the hardware result would be undefined with a full mask); a block whose threads all wait at
// barriers that cannot complete (divergent __syncthreads) is reported and aborts. fp32 arithmetic is plain IEEE
// (compile with -ffp-contract=off), so fmaf is the only fused operation, as in the CUDA source.
// Fibers instead of one std::thread per CUDA thread: a barrier is a few user-space context switches rather than
// futex wake-ups across the cores, which made the emulator ten times slower on kernels with warp reductions.
// Used by tools/cuda/emulate*.py and the emulated CUDA step of the tests; not part of the build.
#pragma once
#include <atomic>
#include <cmath>
#include <math.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <ucontext.h>
#include <vector>
#include "bf16_shim.h" // the bf16 conversion instructions

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline dim3 threadIdx, blockIdx; // the running fiber's, set on every switch
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

inline void emu_yield();
inline unsigned long long emu_progress = 0; // barrier arrivals and finished threads: a round without any is a deadlock

// A barrier of fibers: arriving threads yield until the last one arrives; a thread that exits drops out of it.
struct emu_barrier
{
    int expected;
    int arrived = 0;
    unsigned long long phase = 0;

    explicit emu_barrier(int threads) : expected(threads) {}

    void arrive_and_wait()
    {
        emu_progress++;
        if (++arrived == expected)
        {
            arrived = 0;
            phase++;
            return;
        }
        const unsigned long long mine = phase;
        while (phase == mine) emu_yield();
    }

    void arrive_and_drop()
    {
        emu_progress++;
        expected--;
        if (expected > 0 && arrived == expected)
        {
            arrived = 0;
            phase++;
        }
    }
};

inline emu_barrier* emu_block_barrier;
inline emu_barrier* emu_warp_barrier[32];
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

// The fibers of the running block.
struct emu_fiber
{
    ucontext_t context;
    bool done;
};
inline constexpr size_t emu_stack_bytes = 256 * 1024;
inline ucontext_t emu_scheduler;
inline std::vector<emu_fiber> emu_fibers;
inline std::vector<std::unique_ptr<char[]>> emu_stacks;
inline unsigned emu_current;
inline const std::function<void()>* emu_body;

inline void emu_yield() { swapcontext(&emu_fibers[emu_current].context, &emu_scheduler); }

inline void emu_fiber_main(int t)
{
    (*emu_body)();
    emu_exited[t >> 5][t & 31] = true;
    emu_warp_barrier[t >> 5]->arrive_and_drop();
    emu_block_barrier->arrive_and_drop();
    emu_fibers[t].done = true;
    emu_progress++;
} // returns to the scheduler through uc_link

// Runs body for every block of the grid, blocks one after another, one fiber per CUDA thread, switched round robin.
inline void emu_launch(unsigned gx, unsigned gy, unsigned bx, const std::function<void()>& body)
{
    gridDim = dim3{gx, gy, 1};
    blockDim = dim3{bx, 1, 1};
    emu_body = &body;
    const int warps = (int)(bx + 31) / 32;
    while (emu_stacks.size() < bx) emu_stacks.push_back(std::unique_ptr<char[]>(new char[emu_stack_bytes]));
    emu_fibers.resize(bx);
    for (unsigned by = 0; by < gy; by++)
        for (unsigned bxi = 0; bxi < gx; bxi++)
        {
            emu_barrier block((int)bx);
            std::vector<std::unique_ptr<emu_barrier>> wb;
            for (int w = 0; w < warps; w++)
            {
                const int lanes = (int)bx - 32 * w < 32 ? (int)bx - 32 * w : 32;
                wb.push_back(std::make_unique<emu_barrier>(lanes));
                emu_warp_barrier[w] = wb.back().get();
            }
            emu_block_barrier = &block;
            std::memset(emu_exited, 0, sizeof(emu_exited));
            for (unsigned t = 0; t < bx; t++)
            {
                emu_fiber& f = emu_fibers[t];
                f.done = false;
                getcontext(&f.context);
                f.context.uc_stack.ss_sp = emu_stacks[t].get();
                f.context.uc_stack.ss_size = emu_stack_bytes;
                f.context.uc_link = &emu_scheduler;
                makecontext(&f.context, (void (*)())emu_fiber_main, 1, (int)t);
            }
            blockIdx = dim3{bxi, by, 0};
            unsigned unfinished = bx;
            while (unfinished > 0)
            {
                const unsigned long long before = emu_progress;
                for (unsigned t = 0; t < bx; t++)
                {
                    if (emu_fibers[t].done) continue;
                    emu_current = t;
                    threadIdx = dim3{t, 0, 0};
                    swapcontext(&emu_scheduler, &emu_fibers[t].context);
                    if (emu_fibers[t].done) unfinished--;
                }
                if (unfinished > 0 && emu_progress == before)
                {
                    std::fprintf(stderr, "emulator: block (%u,%u) deadlocks: %u threads wait at barriers that cannot complete\n", bxi, by, unfinished);
                    std::abort();
                }
            }
        }
}

#include "mma_shim.h" // mma.sync m16n8k16 bf16
