namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// The bf16 backward kernels (docs/BF16.md): GELU derivative epilogues, the drop-path scaling of a branch gradient,
    /// column sums of a bf16 gradient, LayerNorm backward reading the bf16 output gradient into the fp32 residual gradient,
    /// the token split writing the bf16 patch gradient, and the L2-normalization backward. Each mirrors its fp32 kernel.
    /// </summary>
    public const string Bf16BackwardKernels = """
// ---- bf16 backward kernels --------------------------------------------------------------------------------------

// dpre = bf16(dy gelu'(pre)) for a bf16 dy (a GEMM's bf16 output, or the unfused GeluGrad) and the bf16 pre-activation:
// the LinearInputGradGelu epilogue. dy and dpre may be one buffer (each thread reads its elements before writing them).
// With RECOMPUTE it also writes act = bf16(gelu(pre)), bit for bit dino_gelu_bf16's output: the GELU output fc2's
// weight gradient reads, recomputed in the same pass instead of kept from the forward (act must not alias pre).
// Grid-stride over groups of four with a scalar tail.
template <bool RECOMPUTE>
__device__ __forceinline__ void gelu_grad_bf16(const unsigned short* dy, const unsigned short* __restrict__ pre, unsigned short* dpre,
    unsigned short* __restrict__ act, long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 g = dino_load_bf16x4(dy + 4 * i);
        const float4 p = dino_load_bf16x4(pre + 4 * i);
        dino_store_bf16x4(dpre + 4 * i, make_float4(g.x * gelu_grad_f(p.x), g.y * gelu_grad_f(p.y), g.z * gelu_grad_f(p.z), g.w * gelu_grad_f(p.w)));
        if (RECOMPUTE) dino_store_bf16x4(act + 4 * i, make_float4(gelu_f(p.x), gelu_f(p.y), gelu_f(p.z), gelu_f(p.w)));
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride())
    {
        const float p = dino_bf16_to_f32(pre[i]);
        dpre[i] = dino_f32_to_bf16(dino_bf16_to_f32(dy[i]) * gelu_grad_f(p));
        if (RECOMPUTE) act[i] = dino_f32_to_bf16(gelu_f(p));
    }
}

extern "C" __global__ void __launch_bounds__(256) dino_gelu_grad_bf16(const unsigned short* dy, const unsigned short* __restrict__ pre, unsigned short* dpre, long long count)
{
    gelu_grad_bf16<false>(dy, pre, dpre, nullptr, count);
}

// dino_gelu_grad_bf16 for a GEMM that wrote its fp32 result dy: dpre = bf16(dy gelu'(pre)), one rounding only.
extern "C" __global__ void __launch_bounds__(256) dino_gelu_grad_f32_bf16(const float* __restrict__ dy, const unsigned short* __restrict__ pre, unsigned short* __restrict__ dpre,
    long long count)
{
    const long long n4 = count / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        const float4 g = reinterpret_cast<const float4*>(dy)[i];
        const float4 p = dino_load_bf16x4(pre + 4 * i);
        dino_store_bf16x4(dpre + 4 * i, make_float4(g.x * gelu_grad_f(p.x), g.y * gelu_grad_f(p.y), g.z * gelu_grad_f(p.z), g.w * gelu_grad_f(p.w)));
    }
    for (long long i = n4 * 4 + global_id(); i < count; i += grid_stride()) dpre[i] = dino_f32_to_bf16(dy[i] * gelu_grad_f(dino_bf16_to_f32(pre[i])));
}

// y = bf16(s[row / rowsPerScale] x), or bf16(x) when scales is null: a residual branch's gradient (the bf16 operand of
// its GEMMs) from the fp32 residual-stream gradient. Grid-stride over four columns at a time (dim % 4 == 0).
extern "C" __global__ void __launch_bounds__(256) dino_scale_rows_bf16(const float* __restrict__ x, const float* __restrict__ scales, int rowsPerScale,
    unsigned short* __restrict__ y, int rows, int dim)
{
    const int d4 = dim / 4;
    const long long total = (long long)rows * d4;
    for (long long i = global_id(); i < total; i += grid_stride())
    {
        const float s = scales == nullptr ? 1.f : scales[(int)(i / d4) / rowsPerScale];
        const float4 a = reinterpret_cast<const float4*>(x)[i];
        dino_store_bf16x4(y + 4 * i, make_float4(s * a.x, s * a.y, s * a.z, s * a.w));
    }
}

// dino_bias_grad of a bf16 dy: partial column sums (fp32, in the same order) into dino_scratch, then dino_reduce_partials.
// Block (x: 32 columns, y: a chunk of rows).
extern "C" __global__ void __launch_bounds__(256) dino_bias_grad_bf16(const unsigned short* __restrict__ dy, int rows, int cols)
{
    __shared__ float partial[8][32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int col = blockIdx.x * 32 + lane;
    const int per = (rows + gridDim.y - 1) / gridDim.y;
    const int r0 = blockIdx.y * per, r1 = min(rows, r0 + per);
    float s = 0.f;
    if (col < cols)
        for (int r = r0 + warp; r < r1; r += 8) s += dino_bf16_to_f32(dy[(long long)r * cols + col]);
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

// dino_layernorm_grad reading the bf16 dy (the input gradient of the GEMM after the norm) with the fp32 x, mean and
// rstd; dx (+)= into the fp32 residual-stream gradient; dgamma/dbeta partials per chunk into dino_scratch for
// dino_reduce_partials(gridDim.x, D, dgamma, dbeta). Same arithmetic and order as the fp32 kernel. With SCALE it also
// writes branch = bf16(s[row / rowsPerScale] dx) from the dx it stores (s = 1 when scales is null): the drop-path branch
// gradient of the block below, bit for bit dino_scale_rows_bf16 on this kernel's output, in the same pass.
template <bool SCALE>
__device__ __forceinline__ void layernorm_grad_bf16(const unsigned short* __restrict__ dy, const float* __restrict__ x, const float* __restrict__ gamma,
    const float* __restrict__ mean, const float* __restrict__ rstd, float* __restrict__ dx, int rows, int accumulate, const float* __restrict__ scales,
    int rowsPerScale, unsigned short* __restrict__ branch)
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
        const unsigned short* dyr = dy + (long long)r * DINO_D;
        const float m = mean[r], rs = rstd[r];
        float xh[PL], dh[PL];
        float s1 = 0.f, s2 = 0.f;
#pragma unroll
        for (int k = 0; k < PL; k++)
        {
            const int j = lane + 32 * k;
            const float d = j < DINO_D ? dino_bf16_to_f32(dyr[j]) : 0.f;
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
        const float sc = SCALE && scales != nullptr ? scales[r / rowsPerScale] : 1.f;
#pragma unroll
        for (int k = 0; k < PL; k++)
        {
            const int j = lane + 32 * k;
            if (j >= DINO_D) continue;
            const float v = rs * (dh[k] - s1 - xh[k] * s2);
            const float total = accumulate ? dxr[j] + v : v;
            dxr[j] = total;
            if (SCALE) branch[(long long)r * DINO_D + j] = dino_f32_to_bf16(sc * total);
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

extern "C" __global__ void __launch_bounds__(256) dino_layernorm_grad_bf16(const unsigned short* __restrict__ dy, const float* __restrict__ x,
    const float* __restrict__ gamma, const float* __restrict__ mean, const float* __restrict__ rstd, float* __restrict__ dx, int rows, int accumulate)
{
    layernorm_grad_bf16<false>(dy, x, gamma, mean, rstd, dx, rows, accumulate, nullptr, 1, nullptr);
}

// dino_assemble_tokens_grad writing the patch-token gradient in bf16 (the patch-embedding weight gradient's operand);
// the parameter gradients dCls, dPosCls, dPosPatches stay fp32 (+=, images summed in order).
extern "C" __global__ void __launch_bounds__(256) dino_assemble_tokens_grad_bf16(const float* __restrict__ dTokens, unsigned short* __restrict__ dPatchTokens,
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
        if (t > 0) dPatchTokens[((long long)b * patches + t - 1) * DINO_D + j] = dino_f32_to_bf16(v);
    }
    if (t == 0) { dCls[j] += s; dPosCls[j] += s; }
    else dPosPatches[(long long)(t - 1) * DINO_D + j] += s;
}

// dino_l2_normalize_grad with bf16 dy and x (the saved head output) and fp32 norms, writing the bf16 dx (the operand of
// the head's last Linear backward). Warp per row, 8 rows per block.
extern "C" __global__ void __launch_bounds__(256) dino_l2_normalize_grad_bf16(const unsigned short* __restrict__ dy, const unsigned short* __restrict__ x,
    const float* __restrict__ norms, unsigned short* __restrict__ dx, int rows, int dim)
{
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= rows) return;
    const unsigned short* xr = x + (long long)row * dim;
    const unsigned short* dyr = dy + (long long)row * dim;
    unsigned short* dxr = dx + (long long)row * dim;
    const float n = norms[row];
    if (n > 1e-12f)
    {
        float s = 0.f;
        for (int j = lane; j < dim; j += 32) s = fmaf(dino_bf16_to_f32(xr[j]), dino_bf16_to_f32(dyr[j]), s);
        const float dot = warp_sum(s);
        const float a = 1.0f / n, b = -dot / (n * n * n);
        for (int j = lane; j < dim; j += 32) dxr[j] = dino_f32_to_bf16(fmaf(dino_bf16_to_f32(dyr[j]), a, dino_bf16_to_f32(xr[j]) * b));
    }
    else
        for (int j = lane; j < dim; j += 32) dxr[j] = dino_f32_to_bf16(dino_bf16_to_f32(dyr[j]) * 1e12f);
}

// ---- fused bf16 backward kernels (the schedule's fusions beyond the CPU's, docs/BF16.md) ----------------------

// LayerNormGrad then the ScaleRows that reads its output (the branch gradient of the block below), in one pass.
extern "C" __global__ void __launch_bounds__(256) dino_layernorm_grad_scale_bf16(const unsigned short* __restrict__ dy, const float* __restrict__ x,
    const float* __restrict__ gamma, const float* __restrict__ mean, const float* __restrict__ rstd, float* __restrict__ dx, int rows, int accumulate,
    const float* __restrict__ scales, int rowsPerScale, unsigned short* __restrict__ branch)
{
    layernorm_grad_bf16<true>(dy, x, gamma, mean, rstd, dx, rows, accumulate, scales, rowsPerScale, branch);
}

// LinearInputGradGelu's epilogue and the GELU recomputation for fc2's weight gradient, in one pass over pre.
extern "C" __global__ void __launch_bounds__(256) dino_gelu_grad_recompute_bf16(const unsigned short* dy, const unsigned short* __restrict__ pre, unsigned short* dpre,
    unsigned short* __restrict__ act, long long count)
{
    gelu_grad_bf16<true>(dy, pre, dpre, act, count);
}
""";
}
