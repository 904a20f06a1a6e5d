using System;
using System.Runtime.InteropServices;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The bf16 pieces on a real GPU (skipped, with the reason, without one): cuBLASLt GEMMs with bf16 operands against a
/// float64 product of the same (exactly bf16) operands, for the schedule's three GEMM forms, and the hardware cvt
/// instructions against the host's nearest-even rounding that the CPU emulator also implements.
/// </summary>
public sealed class Bf16GpuTests
{
    [GpuFact]
    public void Bf16GemmsAreTheFloat64ProductWithinTheirBound()
    {
        using var device = CudaDevice.Open();
        using var gemm = new CublasLtGemm(device, CudaPrecision.Bf16);
        var random = new Random(9);
        // (m, n, k, transA, transB, beta): Linear forward y = x·Wᵀ, input gradient dx = dy·W, weight gradient dW += dyᵀ·x.
        foreach (var (m, n, k, transA, transB, beta) in new[] { (197, 1152, 384, false, true, 0f), (197, 384, 1536, false, false, 0f), (384, 1536, 394, true, false, 1f) })
            foreach (var types in new[] { CudaGemmDataTypes.Bf16ToFloat32, CudaGemmDataTypes.Bf16ToBf16 })
                foreach (bool withBias in new[] { false, true })
                {
                    if (beta != 0 && (types == CudaGemmDataTypes.Bf16ToBf16 || withBias)) continue; // the schedules accumulate fp32 weight gradients only
                    Check(device, gemm, random, types, m, n, k, transA, transB, beta, withBias);
                }
        Assert.True(gemm.PlanCount >= 6);
    }

    [GpuFact]
    public void TheHardwareRoundingIsTheEmulatorsNearestEven()
    {
        using var device = CudaDevice.Open();
        using var module = device.LoadModule(FmnistTiny.CudaModule);
        var random = new Random(3);
        uint[] edges = [0x3F808000, 0x3F818000, 0xBF808000, 0x3F807FFF, 0x3F808001, 0x00008000, 0x00018000, 0x00008001, 0x007FFFFF, 0x7F7F8000, 0x7F7FFFFF,
            0xFF7F8000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFFFFFFF, 0x00000000, 0x80000000];
        var values = new float[4 * 4096 + 2]; // the four-wide body and a scalar tail
        for (int i = 0; i < values.Length; i++)
            values[i] = i < edges.Length ? BitConverter.UInt32BitsToSingle(edges[i]) : BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
        using var x = device.Allocate(values.Length);
        using var y = device.Allocate(values.Length / 2);
        x.Upload(values);
        module.Launch(module.Source.IndexOf("dino_convert_f32_to_bf16"), 16, 1, 256, 0, new KernelArgs().Ptr(x.Ptr).Ptr(y.Ptr).Long(values.Length));
        var got = MemoryMarshal.Cast<float, ushort>(y.ToArray().AsSpan());
        for (int i = 0; i < values.Length; i++)
            Assert.True(got[i] == Bf16Bits.FromFloat(values[i]), $"0x{BitConverter.SingleToUInt32Bits(values[i]):X8} -> 0x{got[i]:X4}, not 0x{Bf16Bits.FromFloat(values[i]):X4}");
    }

    private static void Check(CudaDevice device, CublasLtGemm gemm, Random random, CudaGemmDataTypes types, int m, int n, int k, bool transA, bool transB, float beta, bool withBias)
    {
        bool bf16Out = types == CudaGemmDataTypes.Bf16ToBf16;
        int lda = transA ? m : k, ldb = transB ? k : n, ldc = n;
        var a = Bf16Bits.Random(random, (transA ? k : m) * lda);
        var b = Bf16Bits.Random(random, (transB ? n : k) * ldb);
        var c0 = new float[m * ldc];
        for (int i = 0; i < c0.Length; i++) c0[i] = (float)(random.NextDouble() - 0.5);
        var bias = new float[n];
        for (int j = 0; j < n; j++) bias[j] = bf16Out ? Bf16Bits.ToFloat(Bf16Bits.FromFloat((float)random.NextDouble())) : (float)random.NextDouble();

        using var da = Upload(device, a);
        using var db = Upload(device, b);
        // The output starts poisoned (NaN) unless it is accumulated into.
        using var dc = bf16Out ? Upload(device, Array.ConvertAll(c0, _ => (ushort)0x7fff)) : device.Allocate(c0.Length);
        if (!bf16Out) dc.Upload(beta != 0 ? c0 : Array.ConvertAll(c0, _ => float.NaN));
        using var dbias = bf16Out ? Upload(device, Array.ConvertAll(bias, Bf16Bits.FromFloat)) : device.Allocate(n);
        if (!bf16Out) dbias.Upload(bias);
        gemm.Run(types, m, n, k, da.Ptr, lda, transA, db.Ptr, ldb, transB, dc.Ptr, ldc, beta, withBias ? dbias.Ptr : default);
        device.Synchronize();
        var raw = dc.ToArray();
        var bf16 = MemoryMarshal.Cast<float, ushort>(raw.AsSpan());

        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)Bf16Bits.ToFloat(transA ? a[p * lda + i] : a[i * lda + p]) * Bf16Bits.ToFloat(transB ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                if (beta != 0) { sum += beta * c0[i * ldc + j]; magnitude += Math.Abs(c0[i * ldc + j]); }
                if (withBias) { sum += bias[j]; magnitude += Math.Abs(bias[j]); }
                double got = bf16Out ? Bf16Bits.ToFloat(bf16[i * ldc + j]) : raw[i * ldc + j];
                // Products of bf16 values are exact in fp32, so only the k + 2 fp32 additions round: (k + 2) 2^-24 sum |terms|;
                // a bf16 output adds its own rounding, 2^-8 |value|.
                double bound = (k + 2) * Math.Pow(2, -24) * magnitude + (bf16Out ? Math.Pow(2, -8) * Math.Abs(sum) : 0) + 1e-30;
                worst = Math.Max(worst, double.IsFinite(got) ? Math.Abs(got - sum) / bound : double.PositiveInfinity);
            }
        Assert.True(worst <= 1, $"{types} m={m} n={n} k={k} transA={transA} transB={transB} beta={beta} bias={withBias}: max |err| / bound = {worst:F2}");
    }

    private static DeviceBuffer Upload(CudaDevice device, ushort[] values)
    {
        var padded = new ushort[(values.Length + 1) / 2 * 2];
        values.CopyTo(padded, 0);
        var buffer = device.Allocate(padded.Length / 2);
        buffer.Upload(MemoryMarshal.Cast<ushort, float>(padded.AsSpan()));
        return buffer;
    }
}
