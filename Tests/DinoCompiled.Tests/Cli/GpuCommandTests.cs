using System.IO;
using DinoCompiled.Cli;
using DinoCompiled.Tests.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>The GPU options and commands as a user meets them on a machine without a GPU, and their bad input.</summary>
public sealed class GpuCommandTests
{
    private const string NoDriver = "CUDA driver not found (tried libcuda.so.1, libcuda.so): no NVIDIA driver on this machine";

    private static (int Code, string Output, string Error) Dino(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DinoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString().Replace("\r\n", "\n"));
    }

    [NoGpuFact]
    public void GpuCheckWithoutAGpuIsOneLine()
    {
        var (code, _, error) = Dino("gpu", "check");
        Assert.Equal(2, code);
        Assert.Equal("dino: gpu check: no GPU: " + NoDriver + "\n", error);
    }

    [NoGpuFact]
    public void TrainingOnCudaWithoutAGpuIsOneLineAndWritesNothing()
    {
        using var directory = new Checkpoints.TemporaryDirectory();
        string run = Path.Combine(directory.Path, "run");
        var (code, _, error) = Dino("train", "--device", "cuda", "--epochs", "1", "--out", run);
        Assert.Equal(2, code);
        Assert.Equal("dino: train: --device cuda: " + NoDriver + "\n", error);
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Theory]
    [InlineData(new[] { "train", "--device", "tpu" }, "dino: train: --device takes cpu, cuda or auto, not 'tpu'")]
    [InlineData(new[] { "train", "--device", "cuda", "--precision", "fp16" }, "dino: train: --precision takes auto, bf16, tf32 or fp32, not 'fp16'")]
    [InlineData(new[] { "gpu", "check", "--modes", "fp32,int8" }, "dino: gpu check: --modes takes fp32, tf32 and bf16, not 'int8'")]
    [InlineData(new[] { "gpu" }, "dino: gpu: the GPU commands are: check")]
    public void BadGpuOptionsAreOneLine(string[] args, string message)
    {
        var (code, _, error) = Dino(args);
        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
    }
}
