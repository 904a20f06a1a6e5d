namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// The model-independent part of every generated CUDA module: helpers and kernels written against the constants the
/// <see cref="CudaSourceEmitter"/> defines before it (DINO_D, DINO_CHANNELS, DINO_PATCH, DINO_K, DINO_LN_EPS, the
/// scratch size and the parameter chunk tables). Kept as one text so the emitted module reads top to bottom.
/// </summary>
internal static partial class CudaKernelLibrary
{
    /// <summary>Warp and block reductions, GELU, and the module's scratch for deterministic column sums.</summary>
    public const string Helpers = """
// ---- helpers ----------------------------------------------------------------------------------------------------
#define DINO_NEG_INF __int_as_float(0xff800000) // no math.h: -infinity by its bits
// Reductions use a fixed xor-shuffle pattern and fixed shared-memory orders, so every result is deterministic.
__device__ __forceinline__ float warp_sum(float v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum_d(double v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over the block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ double block_sum_d(double v, double* shared32)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_sum_d(v);
    __syncthreads();
    if (lane == 0) shared32[warp] = v;
    __syncthreads();
    v = lane < warps ? shared32[lane] : 0.0;
    return warp_sum_d(v);
}

__device__ __forceinline__ float block_max(float v, float* shared32)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) shared32[warp] = v;
    __syncthreads();
    v = lane < warps ? shared32[lane] : DINO_NEG_INF;
    return warp_max(v);
}

// Exact GELU (erf), as torch.nn.GELU() and the CPU kernels.
__device__ __forceinline__ float gelu_f(float x) { return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f)); }

__device__ __forceinline__ float gelu_grad_f(float x)
{
    const float cdf = 0.5f * (1.0f + erff(x * 0.70710678118654752f));
    return cdf + x * 0.39894228040143268f * __expf(-0.5f * x * x);
}

__device__ __forceinline__ long long grid_stride() { return (long long)gridDim.x * blockDim.x; }
__device__ __forceinline__ long long global_id() { return (long long)blockIdx.x * blockDim.x + threadIdx.x; }

// Per-block partial column sums (bias and LayerNorm parameter gradients) go here, then dino_reduce_partials adds
// them in block order: deterministic, no atomics. One stream uses a module at a time, so one scratch suffices.
__device__ float dino_scratch[DINO_SCRATCH_FLOATS];

""";

    /// <summary>Elementwise and row kernels of the backbone and head schedules.</summary>
    public const string SegmentKernels = """
// ---- segment kernels (forward) ----------------------------------------------------------------------------------

// columns[(b grid + gy) grid + gx, (c P + ky) P + kx] = images[b, c, gy P + ky, gx P + kx]. Grid-stride, 256 threads.
extern "C" __global__ void __launch_bounds__(256) dino_im2col(const float* __restrict__ images, float* __restrict__ columns, int units, int size)
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
        columns[i] = images[((b * DINO_CHANNELS + c) * size + gy * DINO_PATCH + ky) * (long long)size + gx * DINO_PATCH + kx];
    }
}

// tokens[b, 0] = cls + posCls; tokens[b, 1 + n] = patchTokens[b, n] + posPatches[n]. Grid-stride over float4.
extern "C" __global__ void __launch_bounds__(256) dino_assemble_tokens(const float* __restrict__ patchTokens, const float* __restrict__ cls,
    const float* __restrict__ posCls, const float* __restrict__ posPatches, float* __restrict__ tokens, int units, int patches)
{
    constexpr int D4 = DINO_D / 4;
    const long long total = (long long)units * (patches + 1) * D4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const int j = (int)(i % D4);
        const long long bt = i / D4;
        const int t = (int)(bt % (patches + 1));
        const long long b = bt / (patches + 1);
        float4 a, p;
        if (t == 0) { a = reinterpret_cast<const float4*>(cls)[j]; p = reinterpret_cast<const float4*>(posCls)[j]; }
        else
        {
            a = reinterpret_cast<const float4*>(patchTokens)[(b * patches + t - 1) * D4 + j];
            p = reinterpret_cast<const float4*>(posPatches)[(long long)(t - 1) * D4 + j];
        }
        reinterpret_cast<float4*>(tokens)[i] = make_float4(a.x + p.x, a.y + p.y, a.z + p.z, a.w + p.w);
    }
}

// Warp per row (8 rows per 256-thread block); the row lives in registers, two-pass variance as the CPU.
extern "C" __global__ void __launch_bounds__(256) dino_layernorm(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
    float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows)
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
    float* yr = y + (long long)row * DINO_D;
#pragma unroll
    for (int k = 0; k < PL; k++) { const int j = lane + 32 * k; if (j < DINO_D) yr[j] = fmaf((v[k] - m) * rs, gamma[j], beta[j]); }
}

// cls[b] = tokens[b, 0]. Grid-stride over float4.
extern "C" __global__ void __launch_bounds__(256) dino_gather_class(const float* __restrict__ tokens, float* __restrict__ cls, int units, int tokensPerImage)
{
    constexpr int D4 = DINO_D / 4;
    const long long total = (long long)units * D4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const long long b = i / D4;
        reinterpret_cast<float4*>(cls)[i] = reinterpret_cast<const float4*>(tokens)[b * tokensPerImage * D4 + i % D4];
    }
}

// y = x / max(||x||, 1e-12), norms saved. Warp per row, 8 rows per block, any dim.
extern "C" __global__ void __launch_bounds__(256) dino_l2_normalize(const float* __restrict__ x, float* __restrict__ y, float* __restrict__ norms, int rows, int dim)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const float* xr = x + (long long)row * dim;
    float s = 0.f;
    for (int j = lane; j < dim; j += 32) s = fmaf(xr[j], xr[j], s);
    const float norm = sqrtf(warp_sum(s));
    if (lane == 0) norms[row] = norm;
    const float inv = 1.0f / fmaxf(norm, 1e-12f);
    float* yr = y + (long long)row * dim;
    for (int j = lane; j < dim; j += 32) yr[j] = xr[j] * inv;
}

// w[i] = g[i] v[i] / ||v[i]|| (torch weight_norm, dim 0, no epsilon), norms saved. Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_weight_norm(const float* __restrict__ g, const float* __restrict__ v, float* __restrict__ w,
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
    float* wr = w + (long long)row * cols;
    for (int j = lane; j < cols; j += 32) wr[j] = vr[j] * scale;
}

// y = residual + s[row / rowsPerScale] y: the residual add with drop path after a Bias GEMM wrote the branch into y.
// scales may be null (no drop path). Grid-stride over float4 (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_residual_scale_add(float* __restrict__ y, const float* __restrict__ residual, const float* __restrict__ scales,
    int rowsPerScale, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 r = reinterpret_cast<const float4*>(residual)[i];
        float4 b = reinterpret_cast<float4*>(y)[i];
        b.x = fmaf(s, b.x, r.x); b.y = fmaf(s, b.y, r.y); b.z = fmaf(s, b.z, r.z); b.w = fmaf(s, b.w, r.w);
        reinterpret_cast<float4*>(y)[i] = b;
    }
}

// y = x + s[row / rowsPerScale] branch (the unfused residual add). Grid-stride over float4 (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_residual_add(const float* __restrict__ x, const float* __restrict__ branch, const float* __restrict__ scales,
    int rowsPerScale, float* __restrict__ y, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 a = reinterpret_cast<const float4*>(x)[i];
        const float4 b = reinterpret_cast<const float4*>(branch)[i];
        reinterpret_cast<float4*>(y)[i] = make_float4(fmaf(s, b.x, a.x), fmaf(s, b.y, a.y), fmaf(s, b.z, a.z), fmaf(s, b.w, a.w));
    }
}

// y = gelu(x). Grid-stride over float4 with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_gelu(const float* __restrict__ x, float* __restrict__ y, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 a = reinterpret_cast<const float4*>(x)[i];
        reinterpret_cast<float4*>(y)[i] = make_float4(gelu_f(a.x), gelu_f(a.y), gelu_f(a.z), gelu_f(a.w));
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) y[i] = gelu_f(x[i]);
}

""";

    /// <summary>Backward kernels of the segments.</summary>
    public const string BackwardKernels = """
// ---- segment kernels (backward) ---------------------------------------------------------------------------------

// out0[j] (+ out1[j - cols] for j >= cols when out1 is set) += sum over chunks c, in order, of dino_scratch[c * width + j],
// width = cols (one output) or 2 cols (two). One thread per column: deterministic.
extern "C" __global__ void __launch_bounds__(256) dino_reduce_partials(int chunks, int cols, float* __restrict__ out0, float* __restrict__ out1)
{
    const int width = out1 == nullptr ? cols : 2 * cols;
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= width) return;
    float s = 0.f;
    for (int c = 0; c < chunks; c++) s += dino_scratch[(long long)c * width + j];
    if (j < cols) out0[j] += s; else out1[j - cols] += s;
}

// Partial column sums of dy [rows, cols]: block (x: 32 columns, y: a chunk of rows), 8 warps striding the chunk's rows,
// then the warps' sums added in warp order into dino_scratch[blockIdx.y * cols + column].
extern "C" __global__ void __launch_bounds__(256) dino_bias_grad(const float* __restrict__ dy, int rows, int cols)
{
    __shared__ float partial[8][32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int col = blockIdx.x * 32 + lane;
    const int per = (rows + gridDim.y - 1) / gridDim.y;
    const int r0 = blockIdx.y * per, r1 = min(rows, r0 + per);
    float s = 0.f;
    if (col < cols)
        for (int r = r0 + warp; r < r1; r += 8) s += dy[(long long)r * cols + col];
    partial[warp][lane] = s;
    __syncthreads();
    if (warp == 0 && col < cols)
    {
        float t = 0.f;
#pragma unroll
        for (int w = 0; w < 8; w++) t += partial[w][lane];
        dino_scratch[(long long)blockIdx.y * cols + col] = t;
    }
}

// dx = dy * gelu'(pre). Grid-stride over float4 with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_gelu_grad(const float* __restrict__ dy, const float* __restrict__ pre, float* __restrict__ dx, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 g = reinterpret_cast<const float4*>(dy)[i];
        const float4 p = reinterpret_cast<const float4*>(pre)[i];
        reinterpret_cast<float4*>(dx)[i] = make_float4(g.x * gelu_grad_f(p.x), g.y * gelu_grad_f(p.y), g.z * gelu_grad_f(p.z), g.w * gelu_grad_f(p.w));
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) dx[i] = dy[i] * gelu_grad_f(pre[i]);
}

// y = s[row / rowsPerScale] x, or a copy when scales is null. Grid-stride over float4 (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_scale_rows(const float* __restrict__ x, const float* __restrict__ scales, int rowsPerScale,
    float* __restrict__ y, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 a = reinterpret_cast<const float4*>(x)[i];
        reinterpret_cast<float4*>(y)[i] = make_float4(s * a.x, s * a.y, s * a.z, s * a.w);
    }
}

// destination += source. Grid-stride over float4 with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_accumulate(const float* __restrict__ source, float* __restrict__ destination, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 a = reinterpret_cast<const float4*>(source)[i];
        float4 d = reinterpret_cast<float4*>(destination)[i];
        d.x += a.x; d.y += a.y; d.z += a.z; d.w += a.w;
        reinterpret_cast<float4*>(destination)[i] = d;
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) destination[i] += source[i];
}

// x = 0. Grid-stride over float4 with a scalar tail.
extern "C" __global__ void __launch_bounds__(256) dino_clear(float* __restrict__ x, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride()) reinterpret_cast<float4*>(x)[i] = make_float4(0.f, 0.f, 0.f, 0.f);
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) x[i] = 0.f;
}

// LayerNorm backward: dx (+)= rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma. Warp per row over the
// block's chunk of rows (gridDim.x chunks); dgamma and dbeta partials of the chunk go to dino_scratch[blockIdx.x * 2D ..],
// the 8 warps adding in warp order. dino_reduce_partials(gridDim.x, D, dgamma, dbeta) finishes them.
extern "C" __global__ void __launch_bounds__(256) dino_layernorm_grad(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ gamma,
    const float* __restrict__ mean, const float* __restrict__ rstd, float* __restrict__ dx, int rows, int accumulate)
{
    constexpr int PL = (DINO_D + 31) / 32;
    __shared__ float partial[2 * DINO_D];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int per = (rows + gridDim.x - 1) / gridDim.x;
    const int r0 = blockIdx.x * per, r1 = min(rows, r0 + per);
    float g[PL], dg[PL], db[PL];
#pragma unroll
    for (int k = 0; k < PL; k++) { const int j = lane + 32 * k; g[k] = j < DINO_D ? gamma[j] : 0.f; dg[k] = 0.f; db[k] = 0.f; }
    for (int r = r0 + warp; r < r1; r += 8)
    {
        const float* xr = x + (long long)r * DINO_D;
        const float* dyr = dy + (long long)r * DINO_D;
        const float m = mean[r], rs = rstd[r];
        float xh[PL], dh[PL];
        float s1 = 0.f, s2 = 0.f;
#pragma unroll
        for (int k = 0; k < PL; k++)
        {
            const int j = lane + 32 * k;
            const float d = j < DINO_D ? dyr[j] : 0.f;
            xh[k] = j < DINO_D ? (xr[j] - m) * rs : 0.f;
            dh[k] = d * g[k];
            dg[k] = fmaf(d, xh[k], dg[k]);
            db[k] += d;
            s1 += dh[k];
            s2 = fmaf(dh[k], xh[k], s2);
        }
        s1 = warp_sum(s1) * (1.0f / DINO_D);
        s2 = warp_sum(s2) * (1.0f / DINO_D);
        float* dxr = dx + (long long)r * DINO_D;
#pragma unroll
        for (int k = 0; k < PL; k++)
        {
            const int j = lane + 32 * k;
            if (j >= DINO_D) continue;
            const float v = rs * (dh[k] - s1 - xh[k] * s2);
            dxr[j] = accumulate ? dxr[j] + v : v;
        }
    }
    for (int w = 0; w < 8; w++)
    {
        if (warp == w)
        {
#pragma unroll
            for (int k = 0; k < PL; k++)
            {
                const int j = lane + 32 * k;
                if (j >= DINO_D) continue;
                partial[j] = w == 0 ? dg[k] : partial[j] + dg[k];
                partial[DINO_D + j] = w == 0 ? db[k] : partial[DINO_D + j] + db[k];
            }
        }
        __syncthreads();
    }
    for (int j = threadIdx.x; j < 2 * DINO_D; j += blockDim.x) dino_scratch[(long long)blockIdx.x * 2 * DINO_D + j] = partial[j];
}

// Splits the token gradient: dPatchTokens[b, n] = dTokens[b, 1 + n] (written); dCls and dPosCls += sum over b of
// dTokens[b, 0]; dPosPatches[n] += sum over b of dTokens[b, 1 + n]. One thread per (token, column), summing images in order.
extern "C" __global__ void __launch_bounds__(256) dino_assemble_tokens_grad(const float* __restrict__ dTokens, float* __restrict__ dPatchTokens,
    float* __restrict__ dCls, float* __restrict__ dPosCls, float* __restrict__ dPosPatches, int units, int patches)
{
    const long long i = global_id();
    if (i >= (long long)(patches + 1) * DINO_D) return;
    const int t = (int)(i / DINO_D), j = (int)(i % DINO_D);
    const long long stride = (long long)(patches + 1) * DINO_D;
    float s = 0.f;
    for (int b = 0; b < units; b++)
    {
        const float v = dTokens[b * stride + i];
        s += v;
        if (t > 0) dPatchTokens[((long long)b * patches + t - 1) * DINO_D + j] = v;
    }
    if (t == 0) { dCls[j] += s; dPosCls[j] += s; }
    else dPosPatches[(long long)(t - 1) * DINO_D + j] += s;
}

// dTokens = 0 except dTokens[b, 0] = dCls[b]. Grid-stride over float4.
extern "C" __global__ void __launch_bounds__(256) dino_scatter_class(const float* __restrict__ dCls, float* __restrict__ dTokens, int units, int tokensPerImage)
{
    constexpr int D4 = DINO_D / 4;
    const long long total = (long long)units * tokensPerImage * D4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const int j = (int)(i % D4);
        const long long bt = i / D4;
        const long long b = bt / tokensPerImage;
        reinterpret_cast<float4*>(dTokens)[i] = bt % tokensPerImage == 0 ? reinterpret_cast<const float4*>(dCls)[b * D4 + j] : make_float4(0.f, 0.f, 0.f, 0.f);
    }
}

// dx = dy / n - x (x . dy) / n^3 (n = saved norm), or dy / 1e-12 below the clamp. Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_l2_normalize_grad(const float* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ norms,
    float* __restrict__ dx, int rows, int dim)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const float* xr = x + (long long)row * dim;
    const float* dyr = dy + (long long)row * dim;
    float* dxr = dx + (long long)row * dim;
    const float n = norms[row];
    if (n > 1e-12f)
    {
        float s = 0.f;
        for (int j = lane; j < dim; j += 32) s = fmaf(xr[j], dyr[j], s);
        const float dot = warp_sum(s);
        const float a = 1.0f / n, b = -dot / (n * n * n);
        for (int j = lane; j < dim; j += 32) dxr[j] = fmaf(dyr[j], a, xr[j] * b);
    }
    else
        for (int j = lane; j < dim; j += 32) dxr[j] = dyr[j] * 1e12f;
}

// dv += (g / n) dw - (g (dw . v) / n^3) v; dg += (dw . v) / n when dg is set (weight_g trained). Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_weight_norm_grad(const float* __restrict__ dw, const float* __restrict__ g, const float* __restrict__ v,
    const float* __restrict__ vNorms, float* __restrict__ dg, float* __restrict__ dv, int rows, int cols)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const float* vr = v + (long long)row * cols;
    const float* dwr = dw + (long long)row * cols;
    float* dvr = dv + (long long)row * cols;
    float s = 0.f;
    for (int j = lane; j < cols; j += 32) s = fmaf(dwr[j], vr[j], s);
    const float dot = warp_sum(s);
    const float n = vNorms[row], gi = g[row];
    if (dg != nullptr && lane == 0) dg[row] += dot / n;
    const float a = gi / n, b = -gi * dot / (n * n * n);
    for (int j = lane; j < cols; j += 32) dvr[j] += fmaf(dwr[j], a, vr[j] * b);
}

""";
}
