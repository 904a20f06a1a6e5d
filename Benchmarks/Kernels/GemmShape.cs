// A GEMM of the models, named by layer and role: forward x W^T (NT), input gradient
// dy W (NN), weight gradient dy^T x (TN).
namespace DinoCompiled.Benchmarks.Kernels;

public sealed record GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB)
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => $"{Name} {M}x{N}x{K} {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}";
}
