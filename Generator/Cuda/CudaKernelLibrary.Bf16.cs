namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// The bf16 building blocks of the GPU step (docs/BF16.md): bf16 stored as <c>unsigned short</c>, the conversion
    /// functions (one per PTX instruction, so that the CPU emulator implements the same instruction), and the forward
    /// kernels that read or write bf16 activations: conversions, im2col, LayerNorm writing the next GEMM's bf16 operand,
    /// the fused GEMM epilogues (bias + exact GELU, bias + residual add with drop path) and the head's normalizations.
    /// Emitted after the step kernels, so adding them renumbers none of the fp32 module's kernels.
    /// </summary>
    public const string Bf16Kernels = """
// ---- bf16 storage -----------------------------------------------------------------------------------------------
// A bf16 value is stored as an unsigned short: the upper 16 bits of the float32 of the same value (no cuda_bf16.h, so
// the module stays include-free). Widening is exact. Narrowing rounds to nearest, ties to even, keeps subnormals and
// turns NaN into the canonical bf16 NaN 0x7fff; it is one device function per PTX instruction (cvt.rn.bf16.f32,
// cvt.rn.bf16x2.f32, sm_80 and newer) so that the CPU emulator (tools/cuda/emulate/bf16_shim.h) implements the same
// instruction, with the same rounding done in software before sm_80. docs/BF16.md lists the kernels and their bounds.
__device__ __forceinline__ float dino_bf16_to_f32(unsigned short h) { return __uint_as_float((unsigned int)h << 16); }

// Round to nearest even on the bits: adding 0x7fff and the kept lsb carries into the kept half exactly when the dropped
// half is above one half, or one half with an odd kept lsb; a carry out of the largest finite value gives infinity.
__device__ __forceinline__ unsigned short dino_f32_to_bf16_software(float f)
{
    const unsigned int x = __float_as_uint(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (unsigned short)0x7fffu;
    return (unsigned short)((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

#if defined(__CUDA_ARCH__)
__device__ __forceinline__ unsigned short dino_f32_to_bf16(float f)
{
#if __CUDA_ARCH__ >= 800
    unsigned short h;
    asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
#else
    return dino_f32_to_bf16_software(f);
#endif
}

// lo goes to the low half (the lower address), hi to the high half (cvt.rn.bf16x2.f32 d, a, b puts a in the upper half).
__device__ __forceinline__ unsigned int dino_f32x2_to_bf16x2(float lo, float hi)
{
#if __CUDA_ARCH__ >= 800
    unsigned int r;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
#else
    return (unsigned int)dino_f32_to_bf16_software(lo) | ((unsigned int)dino_f32_to_bf16_software(hi) << 16);
#endif
}
#endif // without __CUDA_ARCH__ (the CPU emulator) bf16_shim.h defines the two instructions

// Four consecutive bf16 values (8 bytes, 8-byte aligned) to and from a float4.
__device__ __forceinline__ float4 dino_load_bf16x4(const unsigned short* p)
{
    const unsigned long long v = *reinterpret_cast<const unsigned long long*>(p);
    const unsigned int lo = (unsigned int)v, hi = (unsigned int)(v >> 32);
    return make_float4(__uint_as_float(lo << 16), __uint_as_float(lo & 0xffff0000u), __uint_as_float(hi << 16), __uint_as_float(hi & 0xffff0000u));
}

__device__ __forceinline__ void dino_store_bf16x4(unsigned short* p, float4 v)
{
    const unsigned long long lo = dino_f32x2_to_bf16x2(v.x, v.y), hi = dino_f32x2_to_bf16x2(v.z, v.w);
    *reinterpret_cast<unsigned long long*>(p) = lo | (hi << 32);
}

// ---- bf16 conversions and forward kernels -----------------------------------------------------------------------

// y = bf16(x). Grid-stride over groups of four with a scalar tail (x 16-byte, y 8-byte aligned).
extern "C" __global__ void __launch_bounds__(256) dino_convert_f32_to_bf16(const float* __restrict__ x, unsigned short* __restrict__ y, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride()) dino_store_bf16x4(y + 4 * i, reinterpret_cast<const float4*>(x)[i]);
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) y[i] = dino_f32_to_bf16(x[i]);
}

// y = x widened (exact). Grid-stride over groups of four with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_convert_bf16_to_f32(const unsigned short* __restrict__ x, float* __restrict__ y, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride()) reinterpret_cast<float4*>(y)[i] = dino_load_bf16x4(x + 4 * i);
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) y[i] = dino_bf16_to_f32(x[i]);
}

// dino_im2col with bf16 columns (the patch-embedding GEMM's operand). Grid-stride, 256 threads.
extern "C" __global__ void __launch_bounds__(256) dino_im2col_bf16(const float* __restrict__ images, unsigned short* __restrict__ columns, int units, int size)
{
    const int grid = size / DINO_PATCH;
    const int width = DINO_CHANNELS * DINO_PATCH * DINO_PATCH;
    const long long total = (long long)units * grid * grid * width;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const int col = (int)(i % width);
        const long long row = i / width;
        const int gx = (int)(row % grid);
        const long long r2 = row / grid;
        const int gy = (int)(r2 % grid);
        const long long b = r2 / grid;
        const int c = col / (DINO_PATCH * DINO_PATCH), rem = col % (DINO_PATCH * DINO_PATCH);
        const int ky = rem / DINO_PATCH, kx = rem % DINO_PATCH;
        columns[i] = dino_f32_to_bf16(images[((b * DINO_CHANNELS + c) * size + gy * DINO_PATCH + ky) * (long long)size + gx * DINO_PATCH + kx]);
    }
}

// dino_layernorm on the fp32 residual stream writing the bf16 output (the next GEMM's operand); mean and rstd stay fp32
// and are the fp32 kernel's bit for bit (same arithmetic in the same order). Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_layernorm_bf16(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
    unsigned short* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows)
{
    constexpr int PL = (DINO_D + 31) / 32;
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const float* xr = x + (long long)row * DINO_D;
    float v[PL];
    float s = 0.f;
#pragma unroll
    for (int k = 0; k < PL; k++) { const int j = lane + 32 * k; v[k] = j < DINO_D ? xr[j] : 0.f; s += v[k]; }
    const float m = warp_sum(s) * (1.0f / DINO_D);
    float q = 0.f;
#pragma unroll
    for (int k = 0; k < PL; k++) { const int j = lane + 32 * k; const float d = v[k] - m; q += j < DINO_D ? d * d : 0.f; }
    const float rs = 1.0f / sqrtf(warp_sum(q) * (1.0f / DINO_D) + DINO_LN_EPS);
    if (lane == 0) { mean[row] = m; rstd[row] = rs; }
    unsigned short* yr = y + (long long)row * DINO_D;
#pragma unroll
    for (int k = 0; k < PL; k++) { const int j = lane + 32 * k; if (j < DINO_D) yr[j] = dino_f32_to_bf16(fmaf((v[k] - m) * rs, gamma[j], beta[j])); }
}

// The LinearGelu epilogue after a GEMM that wrote its fp32 result acc [rows, cols]: p = acc + bias (bias null when the
// GEMM added it), pre = bf16(p) kept for the backward, y = bf16(gelu(p)) with the exact erf GELU of the fp32 p, as the
// CPU's epilogue. Grid-stride over four columns at a time (cols % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_bias_gelu_bf16(const float* __restrict__ acc, const float* __restrict__ bias,
    unsigned short* __restrict__ pre, unsigned short* __restrict__ y, int rows, int cols)
{
    const int c4 = cols / 4;
    const long long total = (long long)rows * c4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        float4 p = reinterpret_cast<const float4*>(acc)[i];
        if (bias != nullptr)
        {
            const float4 b = reinterpret_cast<const float4*>(bias)[i % c4];
            p.x += b.x; p.y += b.y; p.z += b.z; p.w += b.w;
        }
        dino_store_bf16x4(pre + 4 * i, p);
        dino_store_bf16x4(y + 4 * i, make_float4(gelu_f(p.x), gelu_f(p.y), gelu_f(p.z), gelu_f(p.w)));
    }
}

// y = bf16(gelu(x)) of a bf16 x: the LinearGelu epilogue after a GEMM whose bias epilogue wrote the bf16 pre-activation,
// and the unfused Gelu node. Grid-stride over groups of four with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_gelu_bf16(const unsigned short* __restrict__ x, unsigned short* __restrict__ y, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 a = dino_load_bf16x4(x + 4 * i);
        dino_store_bf16x4(y + 4 * i, make_float4(gelu_f(a.x), gelu_f(a.y), gelu_f(a.z), gelu_f(a.w)));
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) y[i] = dino_f32_to_bf16(gelu_f(dino_bf16_to_f32(x[i])));
}

// The LinearResidual epilogue on the fp32 residual stream after a GEMM that wrote its fp32 branch into y:
// y = residual + s[row / rowsPerScale] (y + bias), computed fma(y + bias, s, residual) as the CPU's BiasResidual
// epilogue; bias null when the GEMM added it, scales null without drop path. Grid-stride over float4 (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_bias_residual_add(float* __restrict__ y, const float* __restrict__ bias, const float* __restrict__ residual,
    const float* __restrict__ scales, int rowsPerScale, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 r = reinterpret_cast<const float4*>(residual)[i];
        float4 b = reinterpret_cast<float4*>(y)[i];
        if (bias != nullptr)
        {
            const float4 c = reinterpret_cast<const float4*>(bias)[i % d4];
            b.x += c.x; b.y += c.y; b.z += c.z; b.w += c.w;
        }
        b.x = fmaf(b.x, s, r.x); b.y = fmaf(b.y, s, r.y); b.z = fmaf(b.z, s, r.z); b.w = fmaf(b.w, s, r.w);
        reinterpret_cast<float4*>(y)[i] = b;
    }
}

// y = x + s[row / rowsPerScale] (branch + bias) with a bf16 branch (a GEMM's bf16 output, or the unfused ResidualAdd
// with bias null) into the fp32 stream y (not x: the LayerNorm backward reads x). fma order as dino_bias_residual_add.
// Grid-stride over four columns at a time (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_residual_add_bf16(const float* __restrict__ x, const unsigned short* __restrict__ branch,
    const float* __restrict__ bias, const float* __restrict__ scales, int rowsPerScale, float* __restrict__ y, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 a = reinterpret_cast<const float4*>(x)[i];
        float4 b = dino_load_bf16x4(branch + 4 * i);
        if (bias != nullptr)
        {
            const float4 c = reinterpret_cast<const float4*>(bias)[i % d4];
            b.x += c.x; b.y += c.y; b.z += c.z; b.w += c.w;
        }
        reinterpret_cast<float4*>(y)[i] = make_float4(fmaf(b.x, s, a.x), fmaf(b.y, s, a.y), fmaf(b.z, s, a.z), fmaf(b.w, s, a.w));
    }
}

// dino_l2_normalize of a bf16 x writing the bf16 bottleneck y; norms fp32. Warp per row, 8 rows per block, any dim.
extern "C" __global__ void __launch_bounds__(256) dino_l2_normalize_bf16(const unsigned short* __restrict__ x, unsigned short* __restrict__ y, float* __restrict__ norms,
    int rows, int dim)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const unsigned short* xr = x + (long long)row * dim;
    float s = 0.f;
    for (int j = lane; j < dim; j += 32) { const float v = dino_bf16_to_f32(xr[j]); s = fmaf(v, v, s); }
    const float norm = sqrtf(warp_sum(s));
    if (lane == 0) norms[row] = norm;
    const float inv = 1.0f / fmaxf(norm, 1e-12f);
    unsigned short* yr = y + (long long)row * dim;
    for (int j = lane; j < dim; j += 32) yr[j] = dino_f32_to_bf16(dino_bf16_to_f32(xr[j]) * inv);
}

// dino_weight_norm from the fp32 master g and v, writing the bf16 last layer w (the logits GEMM's operand); vNorms fp32.
// Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_weight_norm_bf16(const float* __restrict__ g, const float* __restrict__ v, unsigned short* __restrict__ w,
    float* __restrict__ vNorms, int rows, int cols)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const float* vr = v + (long long)row * cols;
    float s = 0.f;
    for (int j = lane; j < cols; j += 32) s = fmaf(vr[j], vr[j], s);
    const float norm = sqrtf(warp_sum(s));
    if (lane == 0) vNorms[row] = norm;
    const float scale = g[row] / norm;
    unsigned short* wr = w + (long long)row * cols;
    for (int j = lane; j < cols; j += 32) wr[j] = dino_f32_to_bf16(vr[j] * scale);
}

""";
}
