namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// The attention core as templates over tokens T, head dim DH and the tiles the generator's plan chose for them
    /// (<see cref="AttentionTilePlan"/>); the emitter instantiates them per (T, DH) the model has as <c>extern "C"</c>
    /// kernels. Any T and DH work: a thread owns fixed elements of each tile, on the tile's width padded to a power of two
    /// (see <c>att_width</c>); for a DH dividing 256 that is one column per thread, stepping over rows. The probabilities are saved to global
    /// memory as on the CPU ([units, heads, T, T]), so the backward is exact and the arena plan is the CPU's.
    /// </summary>
    public const string AttentionTemplates = """
// ---- attention ---------------------------------------------------------------------------------------------------
// qkv rows are [Q | K | V] (each D wide), head h owning columns h DH .. (h + 1) DH of each; one block of 256 threads per
// (query tile of QT rows, image x head). The scores of the tile stay in shared memory ([QT][TP], TP = T rounded up to the
// key tile KT): A·Bᵀ over key tiles of KT staged through shared memory, a warp-per-row softmax, then the product with the
// value tiles. The generator picks QT and KT per (T, DH) so that the tile fits in 48 KiB of static shared memory.
constexpr int ATT_THREADS = 256;

// The elements of an R x W tile a thread owns: with the width padded to WP = att_width(W) (a power of two up to 256, a
// multiple of 256 beyond), thread tid owns e = tid + 256 i for i < ATT_PER_THREAD(R * WP), at row e / WP and column
// e % WP, and skips the padding (column >= W). Where WP divides 256 that is column tid % WP of rows tid / WP + (256 / WP) i;
// beyond, column tid + 256 (i % (WP / 256)) of row i / (WP / 256): both known per i at compile time, so no index is kept in
// registers. A head dim dividing 256 has no padding; others idle at most half the threads of the value products.
#define ATT_PER_THREAD(n) (((n) + ATT_THREADS - 1) / ATT_THREADS)
constexpr int att_width(int w) { return w > ATT_THREADS ? (w + ATT_THREADS - 1) / ATT_THREADS * ATT_THREADS : w <= 1 ? 1 : 2 * att_width((w + 1) / 2); }
template <int WP> __device__ __forceinline__ int att_row(int tid, int i)
{ return ATT_THREADS % WP == 0 ? tid / WP + i * (ATT_THREADS / WP) : i / (WP / ATT_THREADS); }
template <int WP> __device__ __forceinline__ int att_col(int tid, int i)
{ return ATT_THREADS % WP == 0 ? tid % WP : tid + ATT_THREADS * (i % (WP / ATT_THREADS)); }
// Whether element i of thread tid lies in the R x W tile (compile-time true where nothing is padded).
template <int R, int W> __device__ __forceinline__ bool att_owns(int tid, int i)
{
    constexpr int WP = att_width(W);
    return (WP == W || att_col<WP>(tid, i) < W) && (R * WP % ATT_THREADS == 0 || att_row<WP>(tid, i) < R);
}

// scores[r][k] = scale · A[q0 + r] · B[k] over all keys, A and B rows of stride LD at column offsets aOff, bOff.
template <int T, int DH, int QT, int KT>
__device__ __forceinline__ void att_scores(const float* __restrict__ a, long long aLd, const float* __restrict__ bm, long long bLd, int q0, float scale,
    float (*sa)[DH + 1], float (*sb)[DH + 1], float (*ss)[(T + KT - 1) / KT * KT])
{
    constexpr int EPT = ATT_PER_THREAD(QT * KT); // score elements per thread and key tile (KT divides 256)
    const int tid = threadIdx.x;
    for (int i = tid; i < QT * DH; i += ATT_THREADS)
    {
        const int r = i / DH, c = i % DH, q = q0 + r;
        sa[r][c] = q < T ? a[q * aLd + c] : 0.f;
    }
    for (int k0 = 0; k0 < T; k0 += KT)
    {
        __syncthreads();
        for (int i = tid; i < KT * DH; i += ATT_THREADS)
        {
            const int r = i / DH, c = i % DH, k = k0 + r;
            sb[r][c] = k < T ? bm[k * bLd + c] : 0.f;
        }
        __syncthreads();
        float acc[EPT];
#pragma unroll
        for (int i = 0; i < EPT; i++) acc[i] = 0.f;
#pragma unroll 8
        for (int c = 0; c < DH; c++)
        {
#pragma unroll
            for (int i = 0; i < EPT; i++)
            {
                if (att_owns<QT, KT>(tid, i)) acc[i] = fmaf(sa[att_row<KT>(tid, i)][c], sb[att_col<KT>(tid, i)][c], acc[i]);
            }
        }
#pragma unroll
        for (int i = 0; i < EPT; i++)
        {
            if (att_owns<QT, KT>(tid, i)) ss[att_row<KT>(tid, i)][k0 + att_col<KT>(tid, i)] = acc[i] * scale;
        }
    }
    __syncthreads();
}

// out[q0 + r][c] = sum_k ss[r][k] · C[k][c] for the tile's valid rows (C rows of stride cLd), written with stride oLd.
template <int T, int DH, int QT, int KT>
__device__ __forceinline__ void att_apply(const float* __restrict__ cm, long long cLd, float* __restrict__ out, long long oLd, int q0, float scale,
    float (*sb)[DH + 1], float (*ss)[(T + KT - 1) / KT * KT])
{
    constexpr int WP = att_width(DH), EPT = ATT_PER_THREAD(QT * WP), TP = (T + KT - 1) / KT * KT; // outputs per thread
    const int tid = threadIdx.x;
    float acc[EPT];
#pragma unroll
    for (int i = 0; i < EPT; i++) acc[i] = 0.f;
    for (int k0 = 0; k0 < T; k0 += KT)
    {
        __syncthreads();
        for (int i = tid; i < KT * DH; i += ATT_THREADS)
        {
            const int r = i / DH, cc = i % DH, k = k0 + r;
            sb[r][cc] = k < T ? cm[k * cLd + cc] : 0.f;
        }
        __syncthreads();
        const int kEnd = min(KT, T - k0);
        for (int kk = 0; kk < kEnd; kk++)
        {
            // For a padded head dim, one base address and compile-time row offsets: there a pointer per row would be a
            // warp-uniform value each, and ptxas 11.8 spilled them (head dim 72); unpadded, the row form compiles better.
            const float* scores = &ss[0][0] + k0 + kk;
#pragma unroll
            for (int i = 0; i < EPT; i++)
            {
                const float sv = WP == DH ? ss[att_row<WP>(tid, i)][k0 + kk] : scores[att_row<WP>(tid, i) * TP];
                if (att_owns<QT, DH>(tid, i)) acc[i] = fmaf(sv, sb[kk][att_col<WP>(tid, i)], acc[i]);
            }
        }
    }
#pragma unroll
    for (int i = 0; i < EPT; i++)
    {
        const int q = q0 + att_row<WP>(tid, i);
        if (att_owns<QT, DH>(tid, i) && q < T) out[q * oLd + att_col<WP>(tid, i)] = acc[i] * scale;
    }
}

// Forward: probs = softmax(Q Kᵀ / sqrt(DH)) (saved), out = probs V. Grid (ceil(T / QT), units · heads), 256 threads.
template <int T, int DH, int QT, int KT>
__device__ __forceinline__ void attention_forward(const float* __restrict__ qkv, float* __restrict__ out, float* __restrict__ probs, float scale)
{
    constexpr int H = DINO_D / DH, TP = (T + KT - 1) / KT * KT, LD = 3 * DINO_D;
    __shared__ float sa[QT][DH + 1];
    __shared__ float sb[KT][DH + 1];
    __shared__ float ss[QT][TP];
    const int q0 = blockIdx.x * QT, b = blockIdx.y / H, h = blockIdx.y % H;
    const float* base = qkv + (long long)b * T * LD + h * DH;
    att_scores<T, DH, QT, KT>(base, LD, base + DINO_D, LD, q0, scale, sa, sb, ss);
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
    att_apply<T, DH, QT, KT>(base + 2 * DINO_D, LD, out + (long long)b * T * DINO_D + h * DH, DINO_D, q0, 1.0f, sb, ss);
}

// Backward, queries: dP = dO Vᵀ, dS = P (dP - rowsum(P dP)) written over P (probs holds dS afterwards: run the dV
// kernel first), dQ = scale dS K. Grid (ceil(T / QT), units · heads), 256 threads.
template <int T, int DH, int QT, int KT>
__device__ __forceinline__ void attention_grad_queries(const float* __restrict__ dOut, const float* __restrict__ qkv, float* __restrict__ probs,
    float* __restrict__ dQkv, float scale)
{
    constexpr int H = DINO_D / DH, TP = (T + KT - 1) / KT * KT, LD = 3 * DINO_D;
    __shared__ float sa[QT][DH + 1];
    __shared__ float sb[KT][DH + 1];
    __shared__ float ss[QT][TP];
    const int q0 = blockIdx.x * QT, b = blockIdx.y / H, h = blockIdx.y % H;
    const float* base = qkv + (long long)b * T * LD + h * DH;
    att_scores<T, DH, QT, KT>(dOut + (long long)b * T * DINO_D + h * DH, DINO_D, base + 2 * DINO_D, LD, q0, 1.0f, sa, sb, ss);
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
    att_apply<T, DH, QT, KT>(base + DINO_D, LD, dQkv + (long long)b * T * LD + h * DH, LD, q0, scale, sb, ss);
}

// Backward, keys: out[k] = scale · sum_q M[q][k] X[q] for a block of KB keys, summed over query chunks of QC rows staged
// through shared memory; M = P and X = dO (dV, before the query kernel) or M = dS and X = Q (dK, after it).
// Grid (ceil(T / KB), units · heads), 256 threads.
template <int T, int DH, int KB, int QC>
__device__ __forceinline__ void attention_grad_keys(const float* __restrict__ x, long long xLd, const float* __restrict__ m, float* __restrict__ out, float scale)
{
    constexpr int WP = att_width(DH), EPT = ATT_PER_THREAD(KB * WP); // outputs per thread
    __shared__ float sm[QC][KB + 1];
    __shared__ float sx[QC][DH + 1];
    const int tid = threadIdx.x, k0 = blockIdx.x * KB;
    const float* mb = m + (long long)blockIdx.y * T * T;
    float acc[EPT];
#pragma unroll
    for (int i = 0; i < EPT; i++) acc[i] = 0.f;
    for (int qc = 0; qc < T; qc += QC)
    {
        __syncthreads();
        for (int i = tid; i < QC * KB; i += ATT_THREADS)
        {
            const int r = i / KB, kk = i % KB, q = qc + r, k = k0 + kk;
            sm[r][kk] = q < T && k < T ? mb[(long long)q * T + k] : 0.f;
        }
        for (int i = tid; i < QC * DH; i += ATT_THREADS)
        {
            const int r = i / DH, cc = i % DH, q = qc + r;
            sx[r][cc] = q < T ? x[q * xLd + cc] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int qq = 0; qq < QC; qq++)
        {
#pragma unroll
            for (int i = 0; i < EPT; i++)
            {
                if (att_owns<KB, DH>(tid, i)) acc[i] = fmaf(sm[qq][att_row<WP>(tid, i)], sx[qq][att_col<WP>(tid, i)], acc[i]);
            }
        }
    }
#pragma unroll
    for (int i = 0; i < EPT; i++)
    {
        const int k = k0 + att_row<WP>(tid, i);
        if (att_owns<KB, DH>(tid, i) && k < T) out[k * (3LL * DINO_D) + att_col<WP>(tid, i)] = acc[i] * scale;
    }
}

""";
}
