using System;
using System.Threading.Tasks;
using DinoCompiled.Cuda;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// The reference for what the schedules ask cuBLASLt for, on host memory: row-major C[m×n] = op(A)·op(B) + β C + bias,
/// accumulated in double and rounded to fp32 (then to bf16, nearest even, where C is bf16), so the emulated step differs
/// from the CPU's only by the GPU schedule's own kernels and orders. Operands are fp32 or bf16 as
/// <see cref="CudaGemmDataTypes"/> says; strides count values.
/// </summary>
internal static unsafe class HostGemm
{
    public static void Run(CudaGemmDataTypes types, int m, int n, int k, void* a, int lda, bool transA, void* b, int ldb, bool transB, void* c, int ldc,
        float beta, void* bias)
    {
        bool bf16Operands = types != CudaGemmDataTypes.Float32, bf16Output = types == CudaGemmDataTypes.Bf16ToBf16;
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c, pbias = (nint)bias;
        double Read(nint p, long index, bool bf16) => bf16 ? Bf16Bits.ToFloat(((ushort*)p)[index]) : ((float*)p)[index];
        Parallel.For(0, m, i =>
        {
            var row = new double[n];
            for (int p = 0; p < k; p++)
            {
                double x = Read(pa, transA ? (long)p * lda + i : (long)i * lda + p, bf16Operands);
                for (int j = 0; j < n; j++) row[j] += x * Read(pb, transB ? (long)j * ldb + p : (long)p * ldb + j, bf16Operands);
            }
            for (int j = 0; j < n; j++)
            {
                long at = (long)i * ldc + j;
                double value = row[j];
                if (beta != 0) value += beta * Read(pc, at, bf16Output);
                if (pbias != 0) value += Read(pbias, j, bf16Output);
                if (bf16Output) ((ushort*)pc)[at] = Bf16Bits.FromFloat((float)value);
                else ((float*)pc)[at] = (float)value;
            }
        });
    }
}
