// The non-GEMM kernels of a training step at model shapes: LayerNorm, attention and the
// DINO loss, forward and backward, with 1 and 2 threads.
using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DinoCompiled.Cpu;

namespace DinoCompiled.Benchmarks.Kernels;

public unsafe class KernelBenchmarks
{
    // Name, images, tokens, heads, head size; rows = images x tokens.
    private static readonly (string Name, int Images, int Tokens, int Heads, int HeadDim)[] Blocks =
    {
        ("Fmnist global", 256, 50, 4, 32),    // batch 128 x 2 global crops of 7x7 patches + cls
        ("Fmnist local", 768, 10, 4, 32),     // batch 128 x 6 local crops of 3x3 patches + cls
        ("ViT-S global", 64, 197, 6, 64),     // 32 images x 2 global crops of 14x14 + cls
        ("ViT-S local", 256, 37, 6, 64),      // 32 images x 8 local crops of 6x6 + cls
    };

    // Name, batch, crops, out_dim.
    private static readonly (string Name, int Batch, int Crops, int OutDim)[] Losses =
    {
        ("Fmnist", 128, 8, 4096),
        ("ViT-S", 32, 10, 65536),
    };

    private float* x, y, dy, dx, qkv, dQkv, attention, probs, gamma, beta, mean, rstd, dGamma, dBeta;
    private float* student, teacher, center, dStudent, scratch;

    [Params("Fmnist global", "Fmnist local", "ViT-S global", "ViT-S local")]
    public string Block { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    private (string Name, int Images, int Tokens, int Heads, int HeadDim) Shape => Array.Find(Blocks, b => b.Name == Block);

    private (string Name, int Batch, int Crops, int OutDim) Loss => Array.Find(Losses, l => Block.StartsWith(l.Name, StringComparison.Ordinal));

    [GlobalSetup]
    public void Setup()
    {
        CpuParallel.ThreadCount = Threads;
        var s = Shape;
        long rows = (long)s.Images * s.Tokens, dim = (long)s.Heads * s.HeadDim;
        x = Allocate(rows * dim, 1);
        y = Allocate(rows * dim, 0);
        dy = Allocate(rows * dim, 2);
        dx = Allocate(rows * dim, 0);
        qkv = Allocate(rows * 3 * dim, 3);
        dQkv = Allocate(rows * 3 * dim, 0);
        attention = Allocate(rows * dim, 0);
        probs = Allocate((long)s.Images * s.Heads * s.Tokens * s.Tokens, 0);
        gamma = Allocate(dim, 4);
        beta = Allocate(dim, 5);
        mean = Allocate(rows, 0);
        rstd = Allocate(rows, 0);
        dGamma = Allocate(dim, 0);
        dBeta = Allocate(dim, 0);
        var l = Loss;
        student = Allocate((long)l.Crops * l.Batch * l.OutDim, 6);
        teacher = Allocate(2L * l.Batch * l.OutDim, 7);
        center = Allocate(l.OutDim, 0);
        dStudent = Allocate((long)l.Crops * l.Batch * l.OutDim, 0);
        scratch = Allocate(DinoLoss.ScratchLength(l.Batch, l.Crops, l.OutDim), 0);
        LayerNormForward();
        AttentionForward();
    }

    [Benchmark]
    public void LayerNormForward()
    {
        var s = Shape;
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, s.Images * s.Tokens, s.Heads * s.HeadDim, 1e-6f);
    }

    [Benchmark]
    public void LayerNormBackward()
    {
        var s = Shape;
        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, s.Images * s.Tokens, s.Heads * s.HeadDim, false);
    }

    [Benchmark]
    public void AttentionForward()
    {
        var s = Shape;
        Attention.Forward(qkv, attention, probs, s.Images, s.Tokens, s.Heads, s.HeadDim);
    }

    [Benchmark]
    public void AttentionBackward()
    {
        var s = Shape;
        Attention.Backward(dy, qkv, probs, dQkv, s.Images, s.Tokens, s.Heads, s.HeadDim);
    }

    /// <summary>The loss of the model the block belongs to (same for its global and local rows).</summary>
    [Benchmark]
    public double DinoLossForwardBackward()
    {
        var l = Loss;
        return DinoLoss.Forward(student, teacher, center, dStudent, scratch, l.Batch, l.Crops, l.OutDim, 0.1f, 0.04f);
    }

    private static float* Allocate(long length, int seed)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(length, 1) * sizeof(float)), 64);
        var random = new Random(seed);
        for (long i = 0; i < length; i++) p[i] = seed == 0 ? 0f : (float)(random.NextDouble() * 2 - 1);
        return p;
    }
}
