namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// Flash attention on tensor cores (FlashAttention-2's algorithm). Forward: bf16 Q, K, V in, bf16 output and the fp32
    /// log-sum-exp per row out, the scores never leaving the chip. Backward (head dims up to 64): delta = rowsum(dO O),
    /// then dK and dV per key block and dQ per query block, each recomputing the probabilities from the log-sum-exp,
    /// every output written by one block (no atomics, deterministic). The matrix products are <c>mma.sync</c> m16n8k16 bf16
    /// with fp32 accumulation behind one device function, <c>dino_mma_bf16_m16n8k16</c>, which the CPU emulator implements
    /// from the PTX ISA's fragment layout (tools/cuda/emulate/bf16_shim.h). Emitted after every other kernel, so adding it
    /// renumbers none; the emitter instantiates it per (tokens, head dim) with the tiles of <see cref="FlashTilePlan"/>.
    /// No schedule launches it yet (docs/BF16.md).
    /// </summary>
    public const string FlashAttentionKernels = """
// ---- flash attention: bf16 on tensor cores ----------------------------------------------------------------------
// mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32: D (16 x 8, fp32) = A (16 x 16, bf16, row-major) B (16 x 8, bf16,
// column-major) + C. Fragments, g = lane / 4 and t = lane % 4, two bf16 per 32-bit register with the lower column (A)
// or row (B) index in the low half: a0 = A(g, 2t..2t+1), a1 = A(g+8, 2t..), a2 = A(g, 2t+8..), a3 = A(g+8, 2t+8..);
// b0 = B(2t..2t+1, g), b1 = B(2t+8..2t+9, g); c0, c1 = C(g, 2t..2t+1), c2, c3 = C(g+8, 2t..2t+1).
__device__ __forceinline__ float dino_bf16_lo(unsigned int v) { return __uint_as_float(v << 16); }
__device__ __forceinline__ float dino_bf16_hi(unsigned int v) { return __uint_as_float(v & 0xffff0000u); }

// The same product without tensor cores (before sm_80): each lane gathers its rows of A and columns of B by shuffles.
// Products of bf16 are exact in fp32; the sums go in k order (the hardware's order is not specified).
__device__ __forceinline__ void dino_mma_bf16_m16n8k16_software(float* d, const unsigned int* a, const unsigned int* b)
{
    const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    for (int kk = 0; kk < 4; kk++)
    {
        const unsigned int a0 = __shfl_sync(0xffffffffu, a[0], 4 * g + kk), a1 = __shfl_sync(0xffffffffu, a[1], 4 * g + kk);
        const unsigned int a2 = __shfl_sync(0xffffffffu, a[2], 4 * g + kk), a3 = __shfl_sync(0xffffffffu, a[3], 4 * g + kk);
        const unsigned int b00 = __shfl_sync(0xffffffffu, b[0], 8 * t + kk), b01 = __shfl_sync(0xffffffffu, b[1], 8 * t + kk);
        const unsigned int b10 = __shfl_sync(0xffffffffu, b[0], 8 * t + 4 + kk), b11 = __shfl_sync(0xffffffffu, b[1], 8 * t + 4 + kk);
        // k = 2kk, 2kk + 1 (a0/a1 with b?0) and 2kk + 8, 2kk + 9 (a2/a3 with b?1); columns 2t (b0?) and 2t + 1 (b1?).
        d[0] = fmaf(dino_bf16_lo(a0), dino_bf16_lo(b00), d[0]); d[0] = fmaf(dino_bf16_hi(a0), dino_bf16_hi(b00), d[0]);
        d[0] = fmaf(dino_bf16_lo(a2), dino_bf16_lo(b01), d[0]); d[0] = fmaf(dino_bf16_hi(a2), dino_bf16_hi(b01), d[0]);
        d[1] = fmaf(dino_bf16_lo(a0), dino_bf16_lo(b10), d[1]); d[1] = fmaf(dino_bf16_hi(a0), dino_bf16_hi(b10), d[1]);
        d[1] = fmaf(dino_bf16_lo(a2), dino_bf16_lo(b11), d[1]); d[1] = fmaf(dino_bf16_hi(a2), dino_bf16_hi(b11), d[1]);
        d[2] = fmaf(dino_bf16_lo(a1), dino_bf16_lo(b00), d[2]); d[2] = fmaf(dino_bf16_hi(a1), dino_bf16_hi(b00), d[2]);
        d[2] = fmaf(dino_bf16_lo(a3), dino_bf16_lo(b01), d[2]); d[2] = fmaf(dino_bf16_hi(a3), dino_bf16_hi(b01), d[2]);
        d[3] = fmaf(dino_bf16_lo(a1), dino_bf16_lo(b10), d[3]); d[3] = fmaf(dino_bf16_hi(a1), dino_bf16_hi(b10), d[3]);
        d[3] = fmaf(dino_bf16_lo(a3), dino_bf16_lo(b11), d[3]); d[3] = fmaf(dino_bf16_hi(a3), dino_bf16_hi(b11), d[3]);
    }
}

#if defined(__CUDA_ARCH__)
__device__ __forceinline__ void dino_mma_bf16_m16n8k16(float* d, const unsigned int* a, const unsigned int* b)
{
#if __CUDA_ARCH__ >= 800
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#else
    dino_mma_bf16_m16n8k16_software(d, a, b);
#endif
}
#endif

__device__ __forceinline__ unsigned int dino_load_u32(const unsigned short* p) { return *reinterpret_cast<const unsigned int*>(p); }

// out = softmax(Q Kᵀ scale) V per (image, head), and lse = log of the softmax's denominator (natural log, scaled
// scores), for the backward's recomputation. qkv rows [Q | K | V] (bf16, each D wide), out rows D wide (bf16), lse
// [units, heads, T] (fp32). One block of WARPS warps per (tile of 16 WARPS query rows, image x head); each warp owns 16
// rows: S = Q Kᵀ for a key tile of BC on tensor cores, the online softmax of FlashAttention-2 in registers (scores in
// log2 units, exp2f), then O += P V with P's accumulator fragments reused as A fragments. K and V tiles are staged in
// shared memory, V transposed so that B fragments are two consecutive keys. The head dim is padded to DP (a multiple
// of 16) with zeros; keys beyond T get probability 0; rows beyond T are computed and not written.
template <int T, int DH, int WARPS, int BC>
__device__ __forceinline__ void flash_attention_forward(const unsigned short* __restrict__ qkv, unsigned short* __restrict__ out, float* __restrict__ lse,
    float scale)
{
    constexpr int H = DINO_D / DH, DP = (DH + 15) / 16 * 16, BR = 16 * WARPS, LD = 3 * DINO_D, SP = DP + 8, VP = BC + 8, THREADS = 32 * WARPS;
    static_assert(DH % 8 == 0 && BC % 16 == 0, "flash attention tiles");
    __shared__ __align__(16) unsigned short sq[BR][SP];
    __shared__ __align__(16) unsigned short sk[BC][SP];
    __shared__ __align__(16) unsigned short svt[DP][VP];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, g = lane >> 2, t = lane & 3;
    const int q0 = blockIdx.x * BR, b = blockIdx.y / H, h = blockIdx.y % H;
    const unsigned short* base = qkv + (long long)b * T * LD + h * DH;
    for (int i = tid; i < BR * DP; i += THREADS)
    {
        const int r = i / DP, c = i % DP, q = q0 + r;
        sq[r][c] = q < T && c < DH ? base[(long long)q * LD + c] : (unsigned short)0;
    }
    float o[DP / 8][4];
#pragma unroll
    for (int n = 0; n < DP / 8; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.f;
    float m0 = DINO_NEG_INF, m1 = DINO_NEG_INF, l0 = 0.f, l1 = 0.f; // rows g and g + 8 of the warp's 16
    const float scaleLog2 = scale * 1.4426950408889634f;
    const int row = 16 * warp + g;
    for (int k0 = 0; k0 < T; k0 += BC)
    {
        __syncthreads();
        for (int i = tid; i < BC * DP; i += THREADS)
        {
            const int r = i / DP, c = i % DP, k = k0 + r;
            const bool valid = k < T && c < DH;
            sk[r][c] = valid ? base[(long long)k * LD + DINO_D + c] : (unsigned short)0;
            svt[c][r] = valid ? base[(long long)k * LD + 2 * DINO_D + c] : (unsigned short)0;
        }
        __syncthreads();
        float s[BC / 8][4];
#pragma unroll
        for (int n = 0; n < BC / 8; n++) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.f;
#pragma unroll
        for (int kc = 0; kc < DP / 16; kc++)
        {
            const int c = 16 * kc + 2 * t;
            const unsigned int a[4] = { dino_load_u32(&sq[row][c]), dino_load_u32(&sq[row + 8][c]), dino_load_u32(&sq[row][c + 8]), dino_load_u32(&sq[row + 8][c + 8]) };
#pragma unroll
            for (int n = 0; n < BC / 8; n++)
            {
                const unsigned int bk[2] = { dino_load_u32(&sk[8 * n + g][c]), dino_load_u32(&sk[8 * n + g][c + 8]) };
                dino_mma_bf16_m16n8k16(s[n], a, bk);
            }
        }
        float mx0 = m0, mx1 = m1;
#pragma unroll
        for (int n = 0; n < BC / 8; n++)
#pragma unroll
            for (int j = 0; j < 2; j++)
            {
                const bool valid = k0 + 8 * n + 2 * t + j < T;
                s[n][j] = valid ? s[n][j] * scaleLog2 : DINO_NEG_INF;
                s[n][2 + j] = valid ? s[n][2 + j] * scaleLog2 : DINO_NEG_INF;
                mx0 = fmaxf(mx0, s[n][j]);
                mx1 = fmaxf(mx1, s[n][2 + j]);
            }
        // The quad (t = 0..3) holds one row: its maximum over all the tile's keys (key k0 is always valid).
        mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1)); mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
        mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1)); mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
        const float c0 = exp2f(m0 - mx0), c1 = exp2f(m1 - mx1);
        m0 = mx0;
        m1 = mx1;
        float r0 = 0.f, r1 = 0.f;
#pragma unroll
        for (int n = 0; n < BC / 8; n++)
#pragma unroll
            for (int j = 0; j < 2; j++)
            {
                s[n][j] = exp2f(s[n][j] - m0);
                s[n][2 + j] = exp2f(s[n][2 + j] - m1);
                r0 += s[n][j];
                r1 += s[n][2 + j];
            }
        l0 = fmaf(l0, c0, r0); // each lane's part of the row sums; the quad adds them at the end
        l1 = fmaf(l1, c1, r1);
#pragma unroll
        for (int n = 0; n < DP / 8; n++) { o[n][0] *= c0; o[n][1] *= c0; o[n][2] *= c1; o[n][3] *= c1; }
        // O += P V: the accumulators of key tiles 2kc and 2kc + 1 are the A fragment of the keys 16kc..16kc + 15.
#pragma unroll
        for (int kc = 0; kc < BC / 16; kc++)
        {
            const unsigned int a[4] = { dino_f32x2_to_bf16x2(s[2 * kc][0], s[2 * kc][1]), dino_f32x2_to_bf16x2(s[2 * kc][2], s[2 * kc][3]),
                                        dino_f32x2_to_bf16x2(s[2 * kc + 1][0], s[2 * kc + 1][1]), dino_f32x2_to_bf16x2(s[2 * kc + 1][2], s[2 * kc + 1][3]) };
#pragma unroll
            for (int n = 0; n < DP / 8; n++)
            {
                const unsigned int bv[2] = { dino_load_u32(&svt[8 * n + g][16 * kc + 2 * t]), dino_load_u32(&svt[8 * n + g][16 * kc + 2 * t + 8]) };
                dino_mma_bf16_m16n8k16(o[n], a, bv);
            }
        }
    }
    l0 += __shfl_xor_sync(0xffffffffu, l0, 1); l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
    l1 += __shfl_xor_sync(0xffffffffu, l1, 1); l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
    const float inv0 = 1.0f / l0, inv1 = 1.0f / l1;
    const int q = q0 + row;
    unsigned short* ob = out + (long long)b * T * DINO_D + h * DH;
#pragma unroll
    for (int n = 0; n < DP / 8; n++)
    {
        const int c = 8 * n + 2 * t;
        if (c >= DH) continue;
        if (q < T) *reinterpret_cast<unsigned int*>(ob + (long long)q * DINO_D + c) = dino_f32x2_to_bf16x2(o[n][0] * inv0, o[n][1] * inv0);
        if (q + 8 < T) *reinterpret_cast<unsigned int*>(ob + (long long)(q + 8) * DINO_D + c) = dino_f32x2_to_bf16x2(o[n][2] * inv1, o[n][3] * inv1);
    }
    if (t == 0)
    {
        // ln(sum exp(scale s)) = ln 2 (m + log2 l), m and l in log2 units.
        if (q < T) lse[(long long)blockIdx.y * T + q] = 0.6931471805599453f * (m0 + log2f(l0));
        if (q + 8 < T) lse[(long long)blockIdx.y * T + q + 8] = 0.6931471805599453f * (m1 + log2f(l1));
    }
}

// ---- flash attention backward (FlashAttention-2): dQ, dK, dV without atomics -------------------------------------
// A fragment of rows r0..r0+15, columns c0..c0+15 of a row-major bf16 matrix (global or shared) with leading dimension ld.
__device__ __forceinline__ void dino_load_a(const unsigned short* m, long long ld, int r0, int c0, unsigned int* a)
{
    const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const unsigned short* p = m + (long long)(r0 + g) * ld + c0 + 2 * t;
    a[0] = dino_load_u32(p); a[1] = dino_load_u32(p + 8 * ld); a[2] = dino_load_u32(p + 8); a[3] = dino_load_u32(p + 8 * ld + 8);
}

// B fragment of B(k0..k0+15, n0..n0+7) where B(k, n) = m[n][k] (each column contiguous): rows n of a row-major matrix.
__device__ __forceinline__ void dino_load_b(const unsigned short* m, long long ld, int n0, int k0, unsigned int* b)
{
    const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const unsigned short* p = m + (long long)(n0 + g) * ld + k0 + 2 * t;
    b[0] = dino_load_u32(p); b[1] = dino_load_u32(p + 8);
}

// The accumulators of two adjacent 16 x 8 tiles as the A fragment of their 16 x 16 (the forward's P V trick).
__device__ __forceinline__ void dino_pack_a(const float* left, const float* right, unsigned int* a)
{
    a[0] = dino_f32x2_to_bf16x2(left[0], left[1]); a[1] = dino_f32x2_to_bf16x2(left[2], left[3]);
    a[2] = dino_f32x2_to_bf16x2(right[0], right[1]); a[3] = dino_f32x2_to_bf16x2(right[2], right[3]);
}

// p = A1 M1ᵀ and dp = A2 M2ᵀ over N columns, the 16 x DP A fragments in registers, M1 and M2 row-major [N][ld] (shared):
// the two score-shaped products of both backward kernels.
template <int DP, int N>
__device__ __forceinline__ void dino_two_products(const unsigned int (*a1)[4], const unsigned short* m1, const unsigned int (*a2)[4], const unsigned short* m2,
    int ld, float (*p)[4], float (*dp)[4])
{
#pragma unroll
    for (int n = 0; n < N / 8; n++) for (int j = 0; j < 4; j++) p[n][j] = dp[n][j] = 0.f;
#pragma unroll
    for (int kc = 0; kc < DP / 16; kc++)
#pragma unroll
        for (int n = 0; n < N / 8; n++)
        {
            unsigned int b1[2], b2[2];
            dino_load_b(m1, ld, 8 * n, 16 * kc, b1);
            dino_load_b(m2, ld, 8 * n, 16 * kc, b2);
            dino_mma_bf16_m16n8k16(p[n], a1[kc], b1);
            dino_mma_bf16_m16n8k16(dp[n], a2[kc], b2);
        }
}

// delta[b, h, i] = sum_c dO[i, c] O[i, c] (fp32), one warp per row; rows (units x heads x T), 8 per block of 256.
template <int T, int DH>
__device__ __forceinline__ void flash_attention_delta(const unsigned short* __restrict__ out, const unsigned short* __restrict__ dOut, float* __restrict__ delta, int rows)
{
    constexpr int H = DINO_D / DH;
    const int lane = threadIdx.x & 31, r = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (r >= rows) return;
    const int i = r % T, h = (r / T) % H, b = r / (T * H);
    const long long at = ((long long)b * T + i) * DINO_D + h * DH;
    float s = 0.f;
    for (int c = lane; c < DH; c += 32) s = fmaf(dino_bf16_to_f32(dOut[at + c]), dino_bf16_to_f32(out[at + c]), s);
    s = warp_sum(s);
    if (lane == 0) delta[r] = s;
}

// dK and dV of 16 WARPS keys per block (grid (ceil(T / (16 WARPS)), units x heads)), each warp 16 keys, over query tiles
// of BQ staged in shared memory: Sᵀ = K Qᵀ, Pᵀ = exp(scale Sᵀ - lse), dV += Pᵀ dO, dPᵀ = V dOᵀ, dSᵀ = Pᵀ (dPᵀ - delta),
// dK += scale dSᵀ Q. K and V fragments come straight from global memory; Q and dO are staged twice, row-major and
// transposed, so that every B fragment is two consecutive elements.
template <int T, int DH, int WARPS, int BQ>
__device__ __forceinline__ void flash_attention_grad_keys(const unsigned short* __restrict__ qkv, const unsigned short* __restrict__ dOut,
    const float* __restrict__ lse, const float* __restrict__ delta, unsigned short* __restrict__ dQkv, float scale)
{
    constexpr int H = DINO_D / DH, DP = (DH + 15) / 16 * 16, LD = 3 * DINO_D, SP = DP + 8, TP = BQ + 8, THREADS = 32 * WARPS;
    static_assert(DH % 8 == 0 && BQ % 16 == 0, "flash attention backward tiles");
    __shared__ __align__(16) unsigned short sq[BQ][SP], sqt[DP][TP], sdo[BQ][SP], sdot[DP][TP];
    __shared__ float slse[BQ], sdelta[BQ];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, t = lane & 3;
    const int k0 = blockIdx.x * 16 * WARPS + 16 * warp, b = blockIdx.y / H, h = blockIdx.y % H;
    const unsigned short* base = qkv + (long long)b * T * LD + h * DH;
    const unsigned short* dob = dOut + (long long)b * T * DINO_D + h * DH;
    unsigned int ka[DP / 16][4], va[DP / 16][4];
    {
        __shared__ __align__(16) unsigned short skv[2][16 * WARPS][SP];
        for (int i = tid; i < 16 * WARPS * DP; i += THREADS)
        {
            const int r = i / DP, c = i % DP, k = blockIdx.x * 16 * WARPS + r;
            const bool valid = k < T && c < DH;
            skv[0][r][c] = valid ? base[(long long)k * LD + DINO_D + c] : (unsigned short)0;
            skv[1][r][c] = valid ? base[(long long)k * LD + 2 * DINO_D + c] : (unsigned short)0;
        }
        __syncthreads();
#pragma unroll
        for (int kc = 0; kc < DP / 16; kc++)
        {
            dino_load_a(&skv[0][0][0], SP, 16 * warp, 16 * kc, ka[kc]);
            dino_load_a(&skv[1][0][0], SP, 16 * warp, 16 * kc, va[kc]);
        }
    }
    float dk[DP / 8][4], dv[DP / 8][4];
#pragma unroll
    for (int n = 0; n < DP / 8; n++) for (int j = 0; j < 4; j++) dk[n][j] = dv[n][j] = 0.f;
    const float* lseb = lse + (long long)blockIdx.y * T;
    const float* deltab = delta + (long long)blockIdx.y * T;
    for (int q0 = 0; q0 < T; q0 += BQ)
    {
        __syncthreads();
        for (int i = tid; i < BQ * DP; i += THREADS)
        {
            const int r = i / DP, c = i % DP, q = q0 + r;
            const bool valid = q < T && c < DH;
            const unsigned short qv = valid ? base[(long long)q * LD + c] : (unsigned short)0, dv0 = valid ? dob[(long long)q * DINO_D + c] : (unsigned short)0;
            sq[r][c] = qv; sqt[c][r] = qv; sdo[r][c] = dv0; sdot[c][r] = dv0;
        }
        for (int i = tid; i < BQ; i += THREADS)
        {
            const bool valid = q0 + i < T;
            slse[i] = valid ? lseb[q0 + i] : 0.f;
            sdelta[i] = valid ? deltab[q0 + i] : 0.f;
        }
        __syncthreads();
        float p[BQ / 8][4], dp[BQ / 8][4];
        dino_two_products<DP, BQ>(ka, &sq[0][0], va, &sdo[0][0], SP, p, dp); // Sᵀ = K Qᵀ, dPᵀ = V dOᵀ
        // Columns are queries: 8n + 2t + j. Pᵀ = exp(scale Sᵀ - lse); queries beyond T get 0.
#pragma unroll
        for (int n = 0; n < BQ / 8; n++)
#pragma unroll
            for (int j = 0; j < 2; j++)
            {
                const int c = 8 * n + 2 * t + j;
                const bool valid = q0 + c < T;
                const float l = slse[c], dl = sdelta[c];
                const float p0 = valid ? __expf(p[n][j] * scale - l) : 0.f, p1 = valid ? __expf(p[n][2 + j] * scale - l) : 0.f;
                p[n][j] = p0;
                p[n][2 + j] = p1;
                dp[n][j] = p0 * (dp[n][j] - dl);      // dSᵀ
                dp[n][2 + j] = p1 * (dp[n][2 + j] - dl);
            }
#pragma unroll
        for (int kc = 0; kc < BQ / 16; kc++)
        {
            unsigned int ap[4], as[4];
            dino_pack_a(p[2 * kc], p[2 * kc + 1], ap);
            dino_pack_a(dp[2 * kc], dp[2 * kc + 1], as);
#pragma unroll
            for (int n = 0; n < DP / 8; n++)
            {
                unsigned int bdo[2], bq[2];
                dino_load_b(&sdot[0][0], TP, 8 * n, 16 * kc, bdo);
                dino_load_b(&sqt[0][0], TP, 8 * n, 16 * kc, bq);
                dino_mma_bf16_m16n8k16(dv[n], ap, bdo); // dV += Pᵀ dO
                dino_mma_bf16_m16n8k16(dk[n], as, bq);  // dK += dSᵀ Q
            }
        }
    }
    const int g = lane >> 2;
    unsigned short* ob = dQkv + (long long)b * T * LD + h * DH;
#pragma unroll
    for (int n = 0; n < DP / 8; n++)
    {
        const int c = 8 * n + 2 * t, k = k0 + g;
        if (c >= DH) continue;
        if (k < T)
        {
            *reinterpret_cast<unsigned int*>(ob + (long long)k * LD + DINO_D + c) = dino_f32x2_to_bf16x2(dk[n][0] * scale, dk[n][1] * scale);
            *reinterpret_cast<unsigned int*>(ob + (long long)k * LD + 2 * DINO_D + c) = dino_f32x2_to_bf16x2(dv[n][0], dv[n][1]);
        }
        if (k + 8 < T)
        {
            *reinterpret_cast<unsigned int*>(ob + (long long)(k + 8) * LD + DINO_D + c) = dino_f32x2_to_bf16x2(dk[n][2] * scale, dk[n][3] * scale);
            *reinterpret_cast<unsigned int*>(ob + (long long)(k + 8) * LD + 2 * DINO_D + c) = dino_f32x2_to_bf16x2(dv[n][2], dv[n][3]);
        }
    }
}

// dQ of 16 WARPS queries per block (grid (ceil(T / (16 WARPS)), units x heads)) over key tiles of BC: S = Q Kᵀ,
// P = exp(scale S - lse), dP = dO Vᵀ, dS = P (dP - delta), dQ += scale dS K. Q and dO fragments come once from global
// memory; K and V are staged row-major and K also transposed.
template <int T, int DH, int WARPS, int BC>
__device__ __forceinline__ void flash_attention_grad_queries(const unsigned short* __restrict__ qkv, const unsigned short* __restrict__ dOut,
    const float* __restrict__ lse, const float* __restrict__ delta, unsigned short* __restrict__ dQkv, float scale)
{
    constexpr int H = DINO_D / DH, DP = (DH + 15) / 16 * 16, LD = 3 * DINO_D, SP = DP + 8, TP = BC + 8, THREADS = 32 * WARPS;
    static_assert(DH % 8 == 0 && BC % 16 == 0, "flash attention backward tiles");
    __shared__ __align__(16) unsigned short sk[BC][SP], sv[BC][SP], skt[DP][TP];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, g = lane >> 2, t = lane & 3;
    const int q0 = blockIdx.x * 16 * WARPS + 16 * warp, b = blockIdx.y / H, h = blockIdx.y % H;
    const unsigned short* base = qkv + (long long)b * T * LD + h * DH;
    const unsigned short* dob = dOut + (long long)b * T * DINO_D + h * DH;
    unsigned int qa[DP / 16][4], da[DP / 16][4];
    {
        __shared__ __align__(16) unsigned short sqd[2][16 * WARPS][SP];
        for (int i = tid; i < 16 * WARPS * DP; i += THREADS)
        {
            const int r = i / DP, c = i % DP, q = blockIdx.x * 16 * WARPS + r;
            const bool valid = q < T && c < DH;
            sqd[0][r][c] = valid ? base[(long long)q * LD + c] : (unsigned short)0;
            sqd[1][r][c] = valid ? dob[(long long)q * DINO_D + c] : (unsigned short)0;
        }
        __syncthreads();
#pragma unroll
        for (int kc = 0; kc < DP / 16; kc++)
        {
            dino_load_a(&sqd[0][0][0], SP, 16 * warp, 16 * kc, qa[kc]);
            dino_load_a(&sqd[1][0][0], SP, 16 * warp, 16 * kc, da[kc]);
        }
    }
    const float* lseb = lse + (long long)blockIdx.y * T;
    const float* deltab = delta + (long long)blockIdx.y * T;
    const float l0 = q0 + g < T ? lseb[q0 + g] : 0.f, l1 = q0 + g + 8 < T ? lseb[q0 + g + 8] : 0.f;
    const float d0 = q0 + g < T ? deltab[q0 + g] : 0.f, d1 = q0 + g + 8 < T ? deltab[q0 + g + 8] : 0.f;
    float dq[DP / 8][4];
#pragma unroll
    for (int n = 0; n < DP / 8; n++) for (int j = 0; j < 4; j++) dq[n][j] = 0.f;
    for (int k0 = 0; k0 < T; k0 += BC)
    {
        __syncthreads();
        for (int i = tid; i < BC * DP; i += THREADS)
        {
            const int r = i / DP, c = i % DP, k = k0 + r;
            const bool valid = k < T && c < DH;
            const unsigned short kv = valid ? base[(long long)k * LD + DINO_D + c] : (unsigned short)0;
            sk[r][c] = kv; skt[c][r] = kv;
            sv[r][c] = valid ? base[(long long)k * LD + 2 * DINO_D + c] : (unsigned short)0;
        }
        __syncthreads();
        float p[BC / 8][4], dp[BC / 8][4];
        dino_two_products<DP, BC>(qa, &sk[0][0], da, &sv[0][0], SP, p, dp); // S = Q Kᵀ, dP = dO Vᵀ
#pragma unroll
        for (int n = 0; n < BC / 8; n++)
#pragma unroll
            for (int j = 0; j < 2; j++)
            {
                const bool valid = k0 + 8 * n + 2 * t + j < T;
                const float p0 = valid ? __expf(p[n][j] * scale - l0) : 0.f, p1 = valid ? __expf(p[n][2 + j] * scale - l1) : 0.f;
                dp[n][j] = p0 * (dp[n][j] - d0);
                dp[n][2 + j] = p1 * (dp[n][2 + j] - d1);
            }
#pragma unroll
        for (int kc = 0; kc < BC / 16; kc++)
        {
            unsigned int as[4];
            dino_pack_a(dp[2 * kc], dp[2 * kc + 1], as);
#pragma unroll
            for (int n = 0; n < DP / 8; n++)
            {
                unsigned int bk[2];
                dino_load_b(&skt[0][0], TP, 8 * n, 16 * kc, bk);
                dino_mma_bf16_m16n8k16(dq[n], as, bk); // dQ += dS K
            }
        }
    }
    unsigned short* ob = dQkv + (long long)b * T * LD + h * DH;
#pragma unroll
    for (int n = 0; n < DP / 8; n++)
    {
        const int c = 8 * n + 2 * t, q = q0 + g;
        if (c >= DH) continue;
        if (q < T) *reinterpret_cast<unsigned int*>(ob + (long long)q * LD + c) = dino_f32x2_to_bf16x2(dq[n][0] * scale, dq[n][1] * scale);
        if (q + 8 < T) *reinterpret_cast<unsigned int*>(ob + (long long)(q + 8) * LD + c) = dino_f32x2_to_bf16x2(dq[n][2] * scale, dq[n][3] * scale);
    }
}

""";
}
