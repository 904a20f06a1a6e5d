using System.IO;
using DinoCompiled.Cli;
using Xunit;

namespace DinoCompiled.Tests.Cli;

public sealed class InspectCommandTests
{
    private static (int Code, string Output, string Error) Dino(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DinoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void InspectReportsTheReferenceCountsAndFlops()
    {
        var (code, output, error) = Dino("inspect", "vit-small-16");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Matches(@"backbone\s+21,665,664", output);
        Assert.Matches(@"head\s+22,352,128", output);
        Assert.Matches(@"trainable\s+43,952,256", output);
        Assert.Matches(@"224 global\s+197\s+9\.20 GFLOPs", output);
        Assert.Matches(@"96 local\s+37", output);
        Assert.Matches(@"head\.last_layer\.weight_g\s+\[65536, 1\]\s+[\d,]+\s+65,536\s+constant\(1\)\s+no\s+no", output);
    }

    [Fact]
    public void InspectFmnistTiny()
    {
        var (code, output, _) = Dino("inspect", "fmnist-tiny", "--no-table");
        Assert.Equal(0, code);
        Assert.Matches(@"backbone\s+802,048", output);
        Assert.Matches(@"head\s+922,752", output);
        Assert.DoesNotContain("Parameter table", output);
    }

    [Fact]
    public void AnUnknownModelIsOneLineListingTheKnownOnes()
    {
        var (code, output, error) = Dino("inspect", "vit-huge-14");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("dino: unknown model 'vit-huge-14'; the known models are: fmnist-tiny, vit-base-16, vit-base-8, vit-small-16, vit-small-8, vit-tiny-16\n",
            error.Replace("\r\n", "\n"));
    }

    [Fact]
    public void TrainingOnAMissingDataPathIsOneLine()
    {
        var (code, _, error) = Dino("train", "--data", "/nonexistent/fashion-mnist", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal("dino: --data: no directory '/nonexistent/fashion-mnist'\n", error.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData(new[] { "inspect" }, "dino: inspect: name one model")]
    [InlineData(new[] { "inspect", "fmnist-tiny", "--frobnicate" }, "dino: inspect: unknown option '--frobnicate'")]
    [InlineData(new[] { "train-everything" }, "dino: unknown command 'train-everything'")]
    public void UsageErrorsAreOneLine(string[] args, string start)
    {
        var (code, _, error) = Dino(args);
        Assert.Equal(2, code);
        Assert.StartsWith(start, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void InspectPrintsTheGpuMemoryPlanBesideTheCpusAndWithGpuAPredictedStep()
    {
        var (code, output, error) = Dino("inspect", "vit-small-16", "--no-table", "--gpu", "h100", "--batch", "64");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Matches(@"Backbone224\s+\d+\.\d MiB\s+68\.7 MiB", output);
        Assert.Contains("one DINO step on NVIDIA H100 SXM5 (80 GB HBM3), batch 64, 2 global + 10 local crops", output);
        Assert.Matches(@"step \d+\.\d\d ms: \d+ images/s, \d+\.\d\d TFLOP of model work, MFU \d+\.\d %", output);
        Assert.Matches(@"memory-bound kernels: [\d.]+ ms of [\d.]+ ms", output);
    }

    [Theory]
    [InlineData("--gpu", "a100x", "dino: inspect: --gpu: unknown GPU 'a100x'; the performance model knows: h100, h200")]
    [InlineData("--batch", "0", "dino: inspect: --batch must be a whole number of at least 1, not '0'")]
    [InlineData("--locals", "x", "dino: inspect: --locals must be a whole number of at least 0, not 'x'")]
    public void ABadGpuOptionIsOneLine(string option, string value, string message)
    {
        var (code, _, error) = Dino("inspect", "vit-small-16", option, value);
        Assert.Equal(2, code);
        Assert.Equal(message, error.TrimEnd());
    }
}
