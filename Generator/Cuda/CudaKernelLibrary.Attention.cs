namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// The attention core as templates over tokens T, head dim DH and query tile QT; the emitter instantiates them per
    /// (T, DH) the model has as <c>extern "C"</c> kernels. The probabilities are saved to global memory as on the CPU
    /// ([units, heads, T, T]), so the backward is exact and the arena plan is the CPU's.
    /// </summary>
    public const string AttentionTemplates = """
// ---- attention ---------------------------------------------------------------------------------------------------
// qkv rows are [Q | K | V] (each D wide), head h owning columns h DH .. (h + 1) DH of each; one block of 256 threads per
// (query tile of QT rows, image x head). The scores of the tile stay in shared memory ([QT][TP], TP = T rounded up to
// 32): A·Bᵀ over key tiles of 32 staged through shared memory, a warp-per-row softmax, then the product with the
// value tiles, each thread owning QT·DH/256 outputs of one column.
constexpr int ATT_THREADS = 256;
constexpr int ATT_KT = 32;

// scores[r][k] = scale · A[q0 + r] · B[k] over all keys, A and B rows of stride LD at column offsets aOff, bOff.
template <int T, int DH, int QT>
__device__ __forceinline__ void att_scores(const float* __restrict__ a, long long aLd, const float* __restrict__ bm, long long bLd, int q0, float scale,
    float (*sa)[DH + 1], float (*sb)[DH + 1], float (*ss)[(T + ATT_KT - 1) / ATT_KT * ATT_KT])
{
    constexpr int RPT = QT * ATT_KT / ATT_THREADS; // score rows per thread
    static_assert(RPT >= 1 && QT * ATT_KT % ATT_THREADS == 0, "query tile");
    const int tid = threadIdx.x;
    for (int i = tid; i < QT * DH; i += ATT_THREADS)
    {
        const int r = i / DH, c = i % DH, q = q0 + r;
        sa[r][c] = q < T ? a[q * aLd + c] : 0.f;
    }
    const int kk = tid % ATT_KT, rBase = tid / ATT_KT;
    for (int k0 = 0; k0 < T; k0 += ATT_KT)
    {
        __syncthreads();
        for (int i = tid; i < ATT_KT * DH; i += ATT_THREADS)
        {
            const int r = i / DH, c = i % DH, k = k0 + r;
            sb[r][c] = k < T ? bm[k * bLd + c] : 0.f;
        }
        __syncthreads();
        float acc[RPT];
#pragma unroll
        for (int i = 0; i < RPT; i++) acc[i] = 0.f;
#pragma unroll 8
        for (int c = 0; c < DH; c++)
        {
            const float bv = sb[kk][c];
#pragma unroll
            for (int i = 0; i < RPT; i++) acc[i] = fmaf(sa[rBase + i * (ATT_THREADS / ATT_KT)][c], bv, acc[i]);
        }
#pragma unroll
        for (int i = 0; i < RPT; i++) ss[rBase + i * (ATT_THREADS / ATT_KT)][k0 + kk] = acc[i] * scale;
    }
    __syncthreads();
}

// out[q0 + r][c] = sum_k ss[r][k] · C[k][c] for the tile's valid rows (C rows of stride cLd), written with stride oLd.
template <int T, int DH, int QT>
__device__ __forceinline__ void att_apply(const float* __restrict__ cm, long long cLd, float* __restrict__ out, long long oLd, int q0, float scale,
    float (*sb)[DH + 1], float (*ss)[(T + ATT_KT - 1) / ATT_KT * ATT_KT])
{
    constexpr int COLS_STEP = ATT_THREADS / DH;       // rows handled in parallel
    constexpr int RPT = QT / COLS_STEP;               // rows per thread
    static_assert(ATT_THREADS % DH == 0 && QT % COLS_STEP == 0, "head dim must divide 256 and the query tile");
    const int tid = threadIdx.x, c = tid % DH, rBase = tid / DH;
    float acc[RPT];
#pragma unroll
    for (int i = 0; i < RPT; i++) acc[i] = 0.f;
    for (int k0 = 0; k0 < T; k0 += ATT_KT)
    {
        __syncthreads();
        for (int i = tid; i < ATT_KT * DH; i += ATT_THREADS)
        {
            const int r = i / DH, cc = i % DH, k = k0 + r;
            sb[r][cc] = k < T ? cm[k * cLd + cc] : 0.f;
        }
        __syncthreads();
        const int kEnd = min(ATT_KT, T - k0);
        for (int kk = 0; kk < kEnd; kk++)
        {
            const float v = sb[kk][c];
#pragma unroll
            for (int i = 0; i < RPT; i++) acc[i] = fmaf(ss[rBase + i * COLS_STEP][k0 + kk], v, acc[i]);
        }
    }
#pragma unroll
    for (int i = 0; i < RPT; i++)
    {
        const int q = q0 + rBase + i * COLS_STEP;
        if (q < T) out[q * oLd + c] = acc[i] * scale;
    }
}

// Forward: probs = softmax(Q Kᵀ / sqrt(DH)) (saved), out = probs V. Grid (ceil(T / QT), units · heads), 256 threads.
template <int T, int DH, int QT>
__device__ __forceinline__ void attention_forward(const float* __restrict__ qkv, float* __restrict__ out, float* __restrict__ probs, float scale)
{
    constexpr int H = DINO_D / DH, TP = (T + ATT_KT - 1) / ATT_KT * ATT_KT, LD = 3 * DINO_D;
    __shared__ float sa[QT][DH + 1];
    __shared__ float sb[ATT_KT][DH + 1];
    __shared__ float ss[QT][TP];
    const int q0 = blockIdx.x * QT, b = blockIdx.y / H, h = blockIdx.y % H;
    const float* base = qkv + (long long)b * T * LD + h * DH;
    att_scores<T, DH, QT>(base, LD, base + DINO_D, LD, q0, scale, sa, sb, ss);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float* p = probs + ((long long)blockIdx.y * T + q0) * T;
    for (int r = warp; r < QT && q0 + r < T; r += ATT_THREADS / 32)
    {
        float m = DINO_NEG_INF;
        for (int k = lane; k < T; k += 32) m = fmaxf(m, ss[r][k]);
        m = warp_max(m);
        float s = 0.f;
        for (int k = lane; k < T; k += 32) { const float e = __expf(ss[r][k] - m); ss[r][k] = e; s += e; }
        const float inv = 1.0f / warp_sum(s);
        for (int k = lane; k < T; k += 32) { const float v = ss[r][k] * inv; ss[r][k] = v; p[(long long)r * T + k] = v; }
    }
    att_apply<T, DH, QT>(base + 2 * DINO_D, LD, out + (long long)b * T * DINO_D + h * DH, DINO_D, q0, 1.0f, sb, ss);
}

// Backward, queries: dP = dO Vᵀ, dS = P (dP - rowsum(P dP)) written over P (probs holds dS afterwards: run the dV
// kernel first), dQ = scale dS K. Grid (ceil(T / QT), units · heads), 256 threads.
template <int T, int DH, int QT>
__device__ __forceinline__ void attention_grad_queries(const float* __restrict__ dOut, const float* __restrict__ qkv, float* __restrict__ probs,
    float* __restrict__ dQkv, float scale)
{
    constexpr int H = DINO_D / DH, TP = (T + ATT_KT - 1) / ATT_KT * ATT_KT, LD = 3 * DINO_D;
    __shared__ float sa[QT][DH + 1];
    __shared__ float sb[ATT_KT][DH + 1];
    __shared__ float ss[QT][TP];
    const int q0 = blockIdx.x * QT, b = blockIdx.y / H, h = blockIdx.y % H;
    const float* base = qkv + (long long)b * T * LD + h * DH;
    att_scores<T, DH, QT>(dOut + (long long)b * T * DINO_D + h * DH, DINO_D, base + 2 * DINO_D, LD, q0, 1.0f, sa, sb, ss);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float* p = probs + ((long long)blockIdx.y * T + q0) * T;
    for (int r = warp; r < QT; r += ATT_THREADS / 32)
    {
        if (q0 + r >= T) { for (int k = lane; k < TP; k += 32) ss[r][k] = 0.f; continue; }
        float s = 0.f;
        for (int k = lane; k < T; k += 32) s = fmaf(p[(long long)r * T + k], ss[r][k], s);
        const float dot = warp_sum(s);
        for (int k = lane; k < T; k += 32)
        {
            const float pk = p[(long long)r * T + k];
            const float d = pk * (ss[r][k] - dot);
            ss[r][k] = d;
            p[(long long)r * T + k] = d;
        }
    }
    att_apply<T, DH, QT>(base + DINO_D, LD, dQkv + (long long)b * T * LD + h * DH, LD, q0, scale, sb, ss);
}

// Backward, keys: out[k] = scale · sum_q M[q][k] X[q] for a tile of 32 keys, M = P and X = dO (dV, before the query
// kernel) or M = dS and X = Q (dK, after it). Grid (ceil(T / 32), units · heads), 256 threads.
template <int T, int DH>
__device__ __forceinline__ void attention_grad_keys(const float* __restrict__ x, long long xLd, const float* __restrict__ m, float* __restrict__ out, float scale)
{
    constexpr int KSTEP = ATT_THREADS / DH, RPT = ATT_KT / KSTEP;
    static_assert(ATT_THREADS % DH == 0 && ATT_KT % KSTEP == 0, "head dim must divide 256");
    __shared__ float sm[32][ATT_KT + 1];
    __shared__ float sx[32][DH + 1];
    const int tid = threadIdx.x, c = tid % DH, kBase = tid / DH, k0 = blockIdx.x * ATT_KT;
    const float* mb = m + (long long)blockIdx.y * T * T;
    float acc[RPT];
#pragma unroll
    for (int i = 0; i < RPT; i++) acc[i] = 0.f;
    for (int qc = 0; qc < T; qc += 32)
    {
        __syncthreads();
        for (int i = tid; i < 32 * ATT_KT; i += ATT_THREADS)
        {
            const int r = i / ATT_KT, kk = i % ATT_KT, q = qc + r, k = k0 + kk;
            sm[r][kk] = q < T && k < T ? mb[(long long)q * T + k] : 0.f;
        }
        for (int i = tid; i < 32 * DH; i += ATT_THREADS)
        {
            const int r = i / DH, cc = i % DH, q = qc + r;
            sx[r][cc] = q < T ? x[q * xLd + cc] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int qq = 0; qq < 32; qq++)
        {
            const float xv = sx[qq][c];
#pragma unroll
            for (int i = 0; i < RPT; i++) acc[i] = fmaf(sm[qq][kBase + i * KSTEP], xv, acc[i]);
        }
    }
#pragma unroll
    for (int i = 0; i < RPT; i++)
    {
        const int k = k0 + kBase + i * KSTEP;
        if (k < T) out[k * (3LL * DINO_D) + c] = acc[i] * scale;
    }
}

""";
}
