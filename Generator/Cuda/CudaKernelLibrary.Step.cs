namespace DinoCompiled.Generator.Cuda;

internal static partial class CudaKernelLibrary
{
    /// <summary>
    /// The training-step kernels the runtime calls by name (docs/CUDA.md): the DINO loss, the center update, per-tensor
    /// gradient norms and clipping, AdamW and the teacher EMA. They mirror Runtime/Cpu/DinoLoss.cs and
    /// Runtime/Training/{GradientClipping,AdamW,TeacherEma}.cs; the parameter passes walk the chunk table the emitter bakes in.
    /// </summary>
    public const string StepKernels = """
// ---- training-step kernels ---------------------------------------------------------------------------------------
// Signatures and launch geometry are listed in docs/CUDA.md; the runtime calls these by name.

// dino_loss_teacher(const float* teacher, const float* center, float* teacherProbs, float invTeacherTemp)
//   grid (2 B), block 512. teacherProbs[r] = softmax((teacher[r] - center) · invTeacherTemp), the sum in double.
extern "C" __global__ void __launch_bounds__(512) dino_loss_teacher(const float* __restrict__ teacher, const float* __restrict__ center,
    float* __restrict__ teacherProbs, float invTeacherTemp)
{
    __shared__ double sd[32];
    __shared__ float sf[32];
    constexpr int K4 = DINO_K / 4;
    const float4* t = reinterpret_cast<const float4*>(teacher + (long long)blockIdx.x * DINO_K);
    const float4* c = reinterpret_cast<const float4*>(center);
    float4* p = reinterpret_cast<float4*>(teacherProbs + (long long)blockIdx.x * DINO_K);
    float m = DINO_NEG_INF;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = t[j], b = c[j];
        const float4 v = make_float4((a.x - b.x) * invTeacherTemp, (a.y - b.y) * invTeacherTemp, (a.z - b.z) * invTeacherTemp, (a.w - b.w) * invTeacherTemp);
        p[j] = v;
        m = fmaxf(fmaxf(m, fmaxf(v.x, v.y)), fmaxf(v.z, v.w));
    }
    m = block_max(m, sf);
    double s = 0.0;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        float4 v = p[j];
        v.x = expf(v.x - m); v.y = expf(v.y - m); v.z = expf(v.z - m); v.w = expf(v.w - m);
        p[j] = v;
        s += ((double)v.x + v.y) + ((double)v.z + v.w);
    }
    const float inv = (float)(1.0 / block_sum_d(s, sd));
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        float4 v = p[j];
        v.x *= inv; v.y *= inv; v.z *= inv; v.w *= inv;
        p[j] = v;
    }
}

// dino_loss_student(const float* student, const float* teacherProbs, float* dStudent, double* rowLoss, int batch,
//                   float invStudentTemp, float gradScale)
//   grid (crops B), block 512, after dino_loss_teacher. Row r = v B + b: dStudent[r] = (n_v q - sum of the paired
//   teacher rows) · gradScale, q = softmax(student[r] · invStudentTemp); rowLoss[r] = sum_pairs sum_j -p_j log q_j, in
//   double. The host adds rowLoss in row order and divides by 2 (crops - 1) B (gradScale = 1 / (tau_s 2 (crops - 1) B)).
extern "C" __global__ void __launch_bounds__(512) dino_loss_student(const float* __restrict__ student, const float* __restrict__ teacherProbs,
    float* __restrict__ dStudent, double* __restrict__ rowLoss, int batch, float invStudentTemp, float gradScale)
{
    __shared__ double sd[32];
    __shared__ float sf[32];
    constexpr int K4 = DINO_K / 4;
    const int row = blockIdx.x, v = row / batch, b = row % batch;
    const float4* s4 = reinterpret_cast<const float4*>(student + (long long)row * DINO_K);
    float4* d4 = reinterpret_cast<float4*>(dStudent + (long long)row * DINO_K);
    const float4* p0 = v == 0 ? nullptr : reinterpret_cast<const float4*>(teacherProbs + (long long)b * DINO_K);
    const float4* p1 = v == 1 ? nullptr : reinterpret_cast<const float4*>(teacherProbs + (long long)(batch + b) * DINO_K);
    float m = DINO_NEG_INF;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        m = fmaxf(fmaxf(m, fmaxf(a.x * invStudentTemp, a.y * invStudentTemp)), fmaxf(a.z * invStudentTemp, a.w * invStudentTemp));
    }
    m = block_max(m, sf);
    double s = 0.0;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        const float4 e = make_float4(expf(a.x * invStudentTemp - m), expf(a.y * invStudentTemp - m), expf(a.z * invStudentTemp - m), expf(a.w * invStudentTemp - m));
        d4[j] = e;
        s += ((double)e.x + e.y) + ((double)e.z + e.w);
    }
    const double sum = block_sum_d(s, sd);
    const float pairs = p0 != nullptr && p1 != nullptr ? 2.f : 1.f;
    const float qScale = (float)(pairs / sum);
    double pg = 0.0, pp = 0.0;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        const double g0 = (double)m - a.x * invStudentTemp, g1 = (double)m - a.y * invStudentTemp;
        const double g2 = (double)m - a.z * invStudentTemp, g3 = (double)m - a.w * invStudentTemp;
        float4 target = make_float4(0.f, 0.f, 0.f, 0.f);
        if (p0 != nullptr)
        {
            const float4 q = p0[j];
            pg += q.x * g0 + q.y * g1 + q.z * g2 + q.w * g3;
            pp += ((double)q.x + q.y) + ((double)q.z + q.w);
            target = q;
        }
        if (p1 != nullptr)
        {
            const float4 q = p1[j];
            pg += q.x * g0 + q.y * g1 + q.z * g2 + q.w * g3;
            pp += ((double)q.x + q.y) + ((double)q.z + q.w);
            target.x += q.x; target.y += q.y; target.z += q.z; target.w += q.w;
        }
        float4 e = d4[j];
        e.x = (e.x * qScale - target.x) * gradScale; e.y = (e.y * qScale - target.y) * gradScale;
        e.z = (e.z * qScale - target.z) * gradScale; e.w = (e.w * qScale - target.w) * gradScale;
        d4[j] = e;
    }
    pg = block_sum_d(pg, sd);
    pp = block_sum_d(pp, sd);
    if (threadIdx.x == 0) rowLoss[row] = pg + pp * log(sum);
}

// dino_center_update(const float* teacher, float* center, int rows, float momentum)
//   grid (ceil(K / 256)), block 256. center[j] = m center[j] + (1 - m) (sum over rows, in row order and double) / rows.
extern "C" __global__ void __launch_bounds__(256) dino_center_update(const float* __restrict__ teacher, float* __restrict__ center, int rows, float momentum)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= DINO_K) return;
    double s = 0.0;
    for (int r = 0; r < rows; r++) s += teacher[(long long)r * DINO_K + j];
    const double m = momentum;
    center[j] = (float)(m * center[j] + (1.0 - m) * (s / rows));
}

// dino_center_column_sums(const float* teacher, double* sums, int rows)
//   grid (ceil(K / 256)), block 256. sums[j] = sum over the rows of teacher[., j], in row order and double: one rank's part
//   of the center's mean. The ranks' sums are all-reduced, then dino_center_update_sums moves the center; on one rank the
//   pair is dino_center_update bit for bit.
extern "C" __global__ void __launch_bounds__(256) dino_center_column_sums(const float* __restrict__ teacher, double* __restrict__ sums, int rows)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= DINO_K) return;
    double s = 0.0;
    for (int r = 0; r < rows; r++) s += teacher[(long long)r * DINO_K + j];
    sums[j] = s;
}

// dino_center_update_sums(const double* sums, float* center, long long rows, float momentum)
//   grid (ceil(K / 256)), block 256. center[j] = m center[j] + (1 - m) sums[j] / rows, with rows the teacher rows of the
//   global batch (2 B over all ranks).
extern "C" __global__ void __launch_bounds__(256) dino_center_update_sums(const double* __restrict__ sums, float* __restrict__ center, long long rows, float momentum)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= DINO_K) return;
    const double m = momentum;
    center[j] = (float)(m * center[j] + (1.0 - m) * (sums[j] / (double)rows));
}

// The parameter passes run one 256-thread block per chunk of DINO_CHUNK floats of one tensor: the chunk's tensor is
// found in the table of first chunks (a binary search every thread of the block does alike).
__device__ __forceinline__ int chunk_tensor(int chunk)
{
    int lo = 0, hi = DINO_TENSORS - 1;
    while (lo < hi)
    {
        const int mid = (lo + hi + 1) >> 1;
        if (c_tensor_first_chunk[mid] <= chunk) lo = mid; else hi = mid - 1;
    }
    return lo;
}

// dino_grad_sqnorm(const float* gradients, double* partials)
//   grid (DINO_PARAM_CHUNKS), block 256. partials[chunk] = sum of squares of the chunk (0 for frozen tensors), in double.
extern "C" __global__ void __launch_bounds__(256) dino_grad_sqnorm(const float* __restrict__ gradients, double* __restrict__ partials)
{
    __shared__ double sd[32];
    const int t = chunk_tensor(blockIdx.x);
    const long long start = (long long)(blockIdx.x - c_tensor_first_chunk[t]) * DINO_CHUNK;
    const long long end = min((long long)c_tensor_count[t], start + DINO_CHUNK);
    const float* g = gradients + c_tensor_offset[t];
    double s = 0.0;
    if (c_tensor_trainable[t])
        for (long long i = start + threadIdx.x; i < end; i += blockDim.x) s += (double)g[i] * g[i];
    s = block_sum_d(s, sd);
    if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

// dino_grad_norms(const double* partials, double* norms)
//   grid (ceil(DINO_TENSORS / 128)), block 128. norms[t] = sqrt(sum of the tensor's partials in chunk order); 0 when frozen.
extern "C" __global__ void __launch_bounds__(128) dino_grad_norms(const double* __restrict__ partials, double* __restrict__ norms)
{
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= DINO_TENSORS) return;
    double s = 0.0;
    for (int c = c_tensor_first_chunk[t]; c < c_tensor_first_chunk[t + 1]; c++) s += partials[c];
    norms[t] = c_tensor_trainable[t] ? sqrt(s) : 0.0;
}

// dino_grad_clip(float* gradients, const double* norms, float maxNorm)
//   grid (DINO_PARAM_CHUNKS), block 256. For each trainable tensor, coefficient = maxNorm / (norm + 1e-6) in double;
//   when it is below 1 the tensor's gradient is multiplied by (float)coefficient.
extern "C" __global__ void __launch_bounds__(256) dino_grad_clip(float* __restrict__ gradients, const double* __restrict__ norms, float maxNorm)
{
    const int t = chunk_tensor(blockIdx.x);
    if (!c_tensor_trainable[t]) return;
    const double coefficient = maxNorm / (norms[t] + 1e-6);
    if (!(coefficient < 1.0)) return;
    const float f = (float)coefficient;
    const long long start = (long long)(blockIdx.x - c_tensor_first_chunk[t]) * DINO_CHUNK;
    const long long end = min((long long)c_tensor_count[t], start + DINO_CHUNK);
    float* g = gradients + c_tensor_offset[t];
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x) g[i] *= f;
}

// dino_adamw(float* parameters, const float* gradients, float* m, float* v, const float* hyper, float beta1, float beta2, float eps)
//   grid (DINO_PARAM_CHUNKS), block 256. hyper[4 t ..] = { lr / (1 - beta1^step), sqrt(1 - beta2^step), 1 - lr wd_t, active }
//   for tensor t (active 0: frozen or not trainable, skipped). As AdamW.cs:
//   m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g; w = w keep - stepSize m / (sqrt(v) / sqrtBias2 + eps).
extern "C" __global__ void __launch_bounds__(256) dino_adamw(float* __restrict__ parameters, const float* __restrict__ gradients, float* __restrict__ m,
    float* __restrict__ v, const float* __restrict__ hyper, float beta1, float beta2, float eps)
{
    const int t = chunk_tensor(blockIdx.x);
    if (hyper[4 * t + 3] == 0.f || !c_tensor_trainable[t]) return;
    const float stepSize = hyper[4 * t], sqrtBias2 = hyper[4 * t + 1], keep = hyper[4 * t + 2];
    const float c1 = 1.f - beta1, c2 = 1.f - beta2;
    const long long start = (long long)(blockIdx.x - c_tensor_first_chunk[t]) * DINO_CHUNK;
    const long long end = min((long long)c_tensor_count[t], start + DINO_CHUNK);
    const long long o = c_tensor_offset[t];
    for (long long i = o + start + threadIdx.x; i < o + end; i += blockDim.x)
    {
        const float gi = gradients[i];
        const float mi = __fadd_rn(__fmul_rn(beta1, m[i]), __fmul_rn(c1, gi));
        const float vi = __fadd_rn(__fmul_rn(beta2, v[i]), __fmul_rn(__fmul_rn(c2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        parameters[i] = __fsub_rn(__fmul_rn(parameters[i], keep), __fdiv_rn(__fmul_rn(stepSize, mi), __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), sqrtBias2), eps)));
    }
}

// dino_teacher_ema(float* teacher, const float* student, long long length, float momentum)
//   grid (min(ceil(length / 1024), 8192)), block 256, grid-stride over float4 (length % 4 == 0: the flat buffers are
//   16-float aligned). teacher = momentum teacher + (1 - momentum) student.
extern "C" __global__ void __launch_bounds__(256) dino_teacher_ema(float* __restrict__ teacher, const float* __restrict__ student, long long length, float momentum)
{
    const float rest = 1.f - momentum;
    const long long n4 = length / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        float4 t = reinterpret_cast<float4*>(teacher)[i];
        const float4 s = reinterpret_cast<const float4*>(student)[i];
        t.x = __fadd_rn(__fmul_rn(momentum, t.x), __fmul_rn(rest, s.x)); t.y = __fadd_rn(__fmul_rn(momentum, t.y), __fmul_rn(rest, s.y));
        t.z = __fadd_rn(__fmul_rn(momentum, t.z), __fmul_rn(rest, s.z)); t.w = __fadd_rn(__fmul_rn(momentum, t.w), __fmul_rn(rest, s.w));
        reinterpret_cast<float4*>(teacher)[i] = t;
    }
    for (long long i = n4 * 4 + global_id(); i < length; i += grid_stride()) teacher[i] = __fadd_rn(__fmul_rn(momentum, teacher[i]), __fmul_rn(rest, student[i]));
}

""";

    /// <summary>
    /// The step kernels of the bf16 mode (docs/BF16.md): the student loss writing the bf16 logit gradient, AdamW writing
    /// the student's bf16 weight copy and the teacher EMA writing the teacher's; their fp32 arithmetic is the fp32
    /// kernels' operation for operation.
    /// </summary>
    public const string Bf16StepKernels = """
// ---- training-step kernels with bf16 copies ---------------------------------------------------------------------

// dino_loss_student writing dStudent in bf16 (the operand of the head's last-layer gradient GEMMs). The exponentials are
// recomputed in the last pass instead of kept in dStudent, so every fp32 value is dino_loss_student's bit for bit and
// dStudent is its bf16 rounding; rowLoss is identical. grid (crops B), block 512, after dino_loss_teacher.
extern "C" __global__ void __launch_bounds__(512) dino_loss_student_bf16(const float* __restrict__ student, const float* __restrict__ teacherProbs,
    unsigned short* __restrict__ dStudent, double* __restrict__ rowLoss, int batch, float invStudentTemp, float gradScale)
{
    __shared__ double sd[32];
    __shared__ float sf[32];
    constexpr int K4 = DINO_K / 4;
    const int row = blockIdx.x, v = row / batch, b = row % batch;
    const float4* s4 = reinterpret_cast<const float4*>(student + (long long)row * DINO_K);
    unsigned short* d = dStudent + (long long)row * DINO_K;
    const float4* p0 = v == 0 ? nullptr : reinterpret_cast<const float4*>(teacherProbs + (long long)b * DINO_K);
    const float4* p1 = v == 1 ? nullptr : reinterpret_cast<const float4*>(teacherProbs + (long long)(batch + b) * DINO_K);
    float m = DINO_NEG_INF;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        m = fmaxf(fmaxf(m, fmaxf(a.x * invStudentTemp, a.y * invStudentTemp)), fmaxf(a.z * invStudentTemp, a.w * invStudentTemp));
    }
    m = block_max(m, sf);
    double s = 0.0;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        const float4 e = make_float4(expf(a.x * invStudentTemp - m), expf(a.y * invStudentTemp - m), expf(a.z * invStudentTemp - m), expf(a.w * invStudentTemp - m));
        s += ((double)e.x + e.y) + ((double)e.z + e.w);
    }
    const double sum = block_sum_d(s, sd);
    const float pairs = p0 != nullptr && p1 != nullptr ? 2.f : 1.f;
    const float qScale = (float)(pairs / sum);
    double pg = 0.0, pp = 0.0;
    for (int j = threadIdx.x; j < K4; j += blockDim.x)
    {
        const float4 a = s4[j];
        const double g0 = (double)m - a.x * invStudentTemp, g1 = (double)m - a.y * invStudentTemp;
        const double g2 = (double)m - a.z * invStudentTemp, g3 = (double)m - a.w * invStudentTemp;
        float4 target = make_float4(0.f, 0.f, 0.f, 0.f);
        if (p0 != nullptr)
        {
            const float4 q = p0[j];
            pg += q.x * g0 + q.y * g1 + q.z * g2 + q.w * g3;
            pp += ((double)q.x + q.y) + ((double)q.z + q.w);
            target = q;
        }
        if (p1 != nullptr)
        {
            const float4 q = p1[j];
            pg += q.x * g0 + q.y * g1 + q.z * g2 + q.w * g3;
            pp += ((double)q.x + q.y) + ((double)q.z + q.w);
            target.x += q.x; target.y += q.y; target.z += q.z; target.w += q.w;
        }
        float4 e = make_float4(expf(a.x * invStudentTemp - m), expf(a.y * invStudentTemp - m), expf(a.z * invStudentTemp - m), expf(a.w * invStudentTemp - m));
        e.x = (e.x * qScale - target.x) * gradScale; e.y = (e.y * qScale - target.y) * gradScale;
        e.z = (e.z * qScale - target.z) * gradScale; e.w = (e.w * qScale - target.w) * gradScale;
        dino_store_bf16x4(d + 4 * j, e);
    }
    pg = block_sum_d(pg, sd);
    pp = block_sum_d(pp, sd);
    if (threadIdx.x == 0) rowLoss[row] = pg + pp * log(sum);
}

// dino_adamw that also writes the bf16 copy of every parameter it updates (same flat layout): the student's GEMM operands.
// The fp32 update is dino_adamw's, operation for operation. Tensors it skips (frozen, inactive) keep their copy, so the
// copy is made whole once with dino_convert_f32_to_bf16 over the flat buffer when the parameters are set.
extern "C" __global__ void __launch_bounds__(256) dino_adamw_bf16(float* __restrict__ parameters, unsigned short* __restrict__ parametersBf16,
    const float* __restrict__ gradients, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ hyper, float beta1, float beta2, float eps)
{
    const int t = chunk_tensor(blockIdx.x);
    if (hyper[4 * t + 3] == 0.f || !c_tensor_trainable[t]) return;
    const float stepSize = hyper[4 * t], sqrtBias2 = hyper[4 * t + 1], keep = hyper[4 * t + 2];
    const float c1 = 1.f - beta1, c2 = 1.f - beta2;
    const long long start = (long long)(blockIdx.x - c_tensor_first_chunk[t]) * DINO_CHUNK;
    const long long end = min((long long)c_tensor_count[t], start + DINO_CHUNK);
    const long long o = c_tensor_offset[t];
    for (long long i = o + start + threadIdx.x; i < o + end; i += blockDim.x)
    {
        const float gi = gradients[i];
        const float mi = __fadd_rn(__fmul_rn(beta1, m[i]), __fmul_rn(c1, gi));
        const float vi = __fadd_rn(__fmul_rn(beta2, v[i]), __fmul_rn(__fmul_rn(c2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        const float w = __fsub_rn(__fmul_rn(parameters[i], keep), __fdiv_rn(__fmul_rn(stepSize, mi), __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), sqrtBias2), eps)));
        parameters[i] = w;
        parametersBf16[i] = dino_f32_to_bf16(w);
    }
}

// dino_teacher_ema that also writes the bf16 copy of the whole teacher (the teacher's GEMM operands). Same grid and
// arithmetic as dino_teacher_ema.
extern "C" __global__ void __launch_bounds__(256) dino_teacher_ema_bf16(float* __restrict__ teacher, unsigned short* __restrict__ teacherBf16,
    const float* __restrict__ student, long long length, float momentum)
{
    const float rest = 1.f - momentum;
    const long long n4 = length / 4;
    for (long long i = global_id(); i < n4; i += grid_stride())
    {
        float4 t = reinterpret_cast<float4*>(teacher)[i];
        const float4 s = reinterpret_cast<const float4*>(student)[i];
        t.x = __fadd_rn(__fmul_rn(momentum, t.x), __fmul_rn(rest, s.x)); t.y = __fadd_rn(__fmul_rn(momentum, t.y), __fmul_rn(rest, s.y));
        t.z = __fadd_rn(__fmul_rn(momentum, t.z), __fmul_rn(rest, s.z)); t.w = __fadd_rn(__fmul_rn(momentum, t.w), __fmul_rn(rest, s.w));
        reinterpret_cast<float4*>(teacher)[i] = t;
        dino_store_bf16x4(teacherBf16 + 4 * i, t);
    }
    for (long long i = n4 * 4 + global_id(); i < length; i += grid_stride())
    {
        const float t = __fadd_rn(__fmul_rn(momentum, teacher[i]), __fmul_rn(rest, student[i]));
        teacher[i] = t;
        teacherBf16[i] = dino_f32_to_bf16(t);
    }
}

""";
}
