using System;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Onnx;
using DinoCompiled.TestModels;
using DinoCompiled.TestModels.Sweep;
using DinoCompiled.Tests.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Onnx;

/// <summary>
/// The exported backbone, run by ONNX Runtime on the CPU, gives the compiled forward's features: CLS features within a
/// relative error of 1e-5 (max |onnx − compiled| / max |compiled| per output tensor, see
/// <see cref="OnnxExportFixture.MaxRelativeError"/>) on random images at batch 1 and 3 (one graph, the batch dynamic).
/// </summary>
public sealed class OnnxBackboneConformanceTests(ITestOutputHelper output)
{
    /// <summary>float32 through 4 or 12 blocks in two different GEMM libraries; observed errors sit near 1e-6.</summary>
    private const double Tolerance = 1e-5;

    [Fact]
    public void FmnistTinyMatchesTheCompiledForward() => CheckCls<FmnistTiny>(crop: null);

    [Fact]
    public void VitSmall16MatchesTheCompiledForward() => CheckCls<VitSmall16>(crop: null);

    /// <summary>At the local crop the position grid is resized (7×7 to 3×3): the exported table must be the compiled forward's.</summary>
    [Fact]
    public void FmnistTinyAtTheLocalCropMatchesTheCompiledForward() => CheckCls<FmnistTiny>(crop: FmnistTiny.Description.Architecture.LocalCrop);

    /// <summary>Three channels, and a 4×4 grid resized to 2×2 at the local crop.</summary>
    [Fact]
    public void ReducedVitMatchesTheCompiledForwardAtBothCrops()
    {
        CheckCls<ReducedVit>(crop: null);
        CheckCls<ReducedVit>(crop: ReducedVit.Description.Architecture.LocalCrop);
    }

    /// <summary>Blocks with different head counts (2, then 1), one-pixel patches (1025 tokens), a 32×32 grid resized to 8×8.</summary>
    [Fact]
    public void Sweep176MatchesTheCompiledForwardAtBothCrops()
    {
        CheckCls<Sweep176>(crop: null);
        CheckCls<Sweep176>(crop: Sweep176.Description.Architecture.LocalCrop);
    }

    [Fact]
    public void EveryTokenOutputHoldsTheClsExportInItsFirstRow()
    {
        var model = FmnistTiny.Description;
        var a = model.Architecture;
        int count = 3, tokens = 1 + (a.GlobalCrop / a.Patch) * (a.GlobalCrop / a.Patch);
        using var folder = new TemporaryDirectory();
        using var parameters = OnnxExportFixture.Parameters(model, seed: 11);
        using var images = OnnxExportFixture.Images(model, count, a.GlobalCrop, seed: 12);
        using var clsSession = OnnxExportFixture.Session(OnnxExportFixture.Export(folder, model, parameters));
        using var allSession = OnnxExportFixture.Session(OnnxExportFixture.Export(folder, model, parameters, new OnnxExportOptions { Tokens = OnnxTokenOutput.All }));

        var (cls, _) = OnnxExportFixture.Run(clsSession, images, count, a.Channels, a.GlobalCrop);
        var (all, shape) = OnnxExportFixture.Run(allSession, images, count, a.Channels, a.GlobalCrop);

        Assert.Equal(new long[] { count, tokens, a.EmbedDim }, shape);
        var firstRows = new float[count * a.EmbedDim];
        for (int n = 0; n < count; n++)
            all.AsSpan(n * tokens * a.EmbedDim, a.EmbedDim).CopyTo(firstRows.AsSpan(n * a.EmbedDim));
        double error = OnnxExportFixture.MaxRelativeError(firstRows, cls);
        output.WriteLine($"{model.Name}: CLS row of the all-token export against the CLS export: {error:E2}");
        Assert.True(error <= Tolerance, $"CLS row of the all-token output differs from the CLS export by {error:E2}.");
    }

    private void CheckCls<TModel>(int? crop) where TModel : ICompiledDinoModel
    {
        var model = TModel.Description;
        var a = model.Architecture;
        int size = crop ?? a.GlobalCrop;
        using var folder = new TemporaryDirectory();
        using var parameters = OnnxExportFixture.Parameters(model, seed: 7);
        string path = OnnxExportFixture.Export(folder, model, parameters, new OnnxExportOptions { Crop = crop });
        using var session = OnnxExportFixture.Session(path);

        foreach (int count in new[] { 1, 3 })
        {
            using var images = OnnxExportFixture.Images(model, count, size, seed: 100 + count);
            var expected = OnnxExportFixture.CompiledFeatures<TModel>(parameters, images, count, size);
            var (actual, shape) = OnnxExportFixture.Run(session, images, count, a.Channels, size);

            Assert.Equal(new long[] { count, a.EmbedDim }, shape);
            double error = OnnxExportFixture.MaxRelativeError(actual, expected);
            output.WriteLine($"{model.Name} crop {size} batch {count}: max relative error {error:E2}");
            Assert.True(error <= Tolerance, $"{model.Name} crop {size} batch {count}: max |onnx - compiled| / max |compiled| = {error:E2} > {Tolerance:E0}.");
        }
    }
}
