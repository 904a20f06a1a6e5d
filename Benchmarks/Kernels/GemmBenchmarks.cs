// Our Gemm against OpenBLAS cblas_sgemm, side by side on the same buffers, at the
// FmnistTiny and ViT-S/16 training shapes, with 1 and 2 threads for both libraries.
// OpenBLAS is the baseline: Ratio = our time / OpenBLAS time (below 1 is faster).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DinoCompiled.Cpu;

namespace DinoCompiled.Benchmarks.Kernels;

[Config(typeof(Configuration))]
public unsafe class GemmBenchmarks
{
    private float* a, b, c;

    public static IEnumerable<GemmShape> Shapes()
    {
        // FmnistTiny, batch 128: 2 x 50 + 6 x 10 tokens per image -> 12800 rows; D 128, MLP 512; head on 1024 rows.
        yield return new GemmShape("Fmnist qkv fwd", 12800, 384, 128, false, true);
        yield return new GemmShape("Fmnist proj fwd", 12800, 128, 128, false, true);
        yield return new GemmShape("Fmnist fc1 fwd", 12800, 512, 128, false, true);
        yield return new GemmShape("Fmnist fc2 fwd", 12800, 128, 512, false, true);
        yield return new GemmShape("Fmnist qkv dX", 12800, 128, 384, false, false);
        yield return new GemmShape("Fmnist fc1 dX", 12800, 128, 512, false, false);
        yield return new GemmShape("Fmnist fc2 dX", 12800, 512, 128, false, false);
        yield return new GemmShape("Fmnist qkv dW", 384, 128, 12800, true, false);
        yield return new GemmShape("Fmnist fc1 dW", 512, 128, 12800, true, false);
        yield return new GemmShape("Fmnist fc2 dW", 128, 512, 12800, true, false);
        yield return new GemmShape("Fmnist head fc2 fwd", 1024, 512, 512, false, true);
        yield return new GemmShape("Fmnist head last fwd", 1024, 4096, 128, false, true);
        yield return new GemmShape("Fmnist head last dW", 4096, 128, 1024, true, false);
        // ViT-S/16, 32 images x 2 global crops x 197 tokens -> 12608 rows; D 384, MLP 1536; head on 32 x 10 crops.
        yield return new GemmShape("ViT-S qkv fwd", 12608, 1152, 384, false, true);
        yield return new GemmShape("ViT-S proj fwd", 12608, 384, 384, false, true);
        yield return new GemmShape("ViT-S fc1 fwd", 12608, 1536, 384, false, true);
        yield return new GemmShape("ViT-S fc2 fwd", 12608, 384, 1536, false, true);
        yield return new GemmShape("ViT-S qkv dX", 12608, 384, 1152, false, false);
        yield return new GemmShape("ViT-S fc2 dX", 12608, 1536, 384, false, false);
        yield return new GemmShape("ViT-S qkv dW", 1152, 384, 12608, true, false);
        yield return new GemmShape("ViT-S fc2 dW", 384, 1536, 12608, true, false);
        yield return new GemmShape("ViT-S head fc1 fwd", 320, 2048, 384, false, true);
        yield return new GemmShape("ViT-S head last fwd", 320, 65536, 256, false, true);
    }

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string core = OpenBlas.Load(Threads);
        CpuParallel.ThreadCount = Threads;
        Console.WriteLine($"// OpenBLAS core: {core}, threads: {Threads}");
        long aLength = (long)Shape.M * Shape.K, bLength = (long)Shape.K * Shape.N, cLength = (long)Shape.M * Shape.N;
        a = Allocate(aLength, 1);
        b = Allocate(bLength, 2);
        c = Allocate(cLength, 3);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(a);
        NativeMemory.AlignedFree(b);
        NativeMemory.AlignedFree(c);
    }

    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm()
    {
        OpenBlas.Sgemm(OpenBlas.RowMajor, Shape.TransA ? OpenBlas.Trans : OpenBlas.NoTrans, Shape.TransB ? OpenBlas.Trans : OpenBlas.NoTrans,
            Shape.M, Shape.N, Shape.K, 1f, a, Shape.TransA ? Shape.M : Shape.K, b, Shape.TransB ? Shape.K : Shape.N, 0f, c, Shape.N);
    }

    [Benchmark]
    public void DinoGemm()
    {
        Gemm.Compute(Shape.M, Shape.N, Shape.K, a, Shape.TransA ? Shape.M : Shape.K, Shape.TransA, b, Shape.TransB ? Shape.K : Shape.N,
            Shape.TransB, c, Shape.N, 0f, GemmEpilogue.None);
    }

    private static float* Allocate(long length, int seed)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
        var random = new Random(seed);
        for (long i = 0; i < length; i++) p[i] = (float)(random.NextDouble() - 0.5);
        return p;
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddColumn(new GflopsColumn());
            Orderer = new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared);
        }
    }
}
