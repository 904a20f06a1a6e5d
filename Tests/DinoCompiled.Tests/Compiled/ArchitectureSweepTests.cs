using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DinoCompiled.Compiled;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// Every architecture of <see cref="ArchitectureSweep"/> builds (it is compiled with this test project), its CPU backbone
/// matches the float64 <see cref="ReferenceBackbone"/> forward and, along its own gradient, backward (a central
/// difference of the reference), and it trains two DINO steps. The shapes' own attention is checked against the float64
/// attention reference in <c>AttentionSweepTests</c>.
/// </summary>
public sealed class ArchitectureSweepTests
{
    public static IEnumerable<object[]> Models => ArchitectureSweep.Names;

    private static void Invoke(string method, string model) =>
        typeof(ArchitectureSweepTests).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(ArchitectureSweep.Find(model)).Invoke(null, null);

    [Theory]
    [MemberData(nameof(Models))]
    public void TheBackboneMatchesTheFloat64Reference(string model) => Invoke(nameof(CheckBackbone), model);

    [Theory]
    [MemberData(nameof(Models))]
    public void ItTrainsTwoSteps(string model) => Invoke(nameof(TrainTwoSteps), model);

    private static unsafe void CheckBackbone<TModel>() where TModel : ICompiledDinoModel
    {
        const int batch = 2;
        var description = TModel.Description;
        var a = description.Architecture;
        var table = description.Parameters;
        int crop = a.ImageSize, d = a.EmbedDim;
        Assert.Equal(a.GlobalCrop, crop); // the sweep lays the position embedding out at the global crop: no resize here
        var random = new Random(a.EmbedDim * 31 + a.Depth);

        using var parameters = new NativeBuffer(table.FlatLength);
        ParameterInitializer.Initialize(parameters.Data, table, seed: a.EmbedDim);
        var p = parameters.Span;
        InformativeParameters.Fill(p, table, random);
        float[] images = Enumerable.Range(0, batch * a.Channels * crop * crop).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] outputGradient = Enumerable.Range(0, batch * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var plan = description.Arenas.Single(x => x.Crop == crop);
        using var arena = new NativeBuffer(plan.FixedFloats + plan.FloatsPerUnit * batch);
        using var input = new NativeBuffer(images.Length);
        using var output = new NativeBuffer(batch * d);
        using var dOutput = new NativeBuffer(batch * d);
        using var gradients = new NativeBuffer(table.FlatLength);
        images.CopyTo(input.Span);
        outputGradient.CopyTo(dOutput.Span);
        var buffers = new SegmentBuffers
        {
            Parameters = parameters.Ptr, Gradients = gradients.Ptr, Arena = arena.Ptr, Units = batch, Input = input.Ptr, Output = output.Ptr,
            OutputGradient = dOutput.Ptr,
        };
        TModel.BackboneForward(crop, buffers);
        float[] features = output.Span.ToArray();
        TModel.BackboneBackward(crop, buffers);

        var reference = new ReferenceBackbone(description);
        double[] theta = p.ToArray().Select(x => (double)x).ToArray();
        double[] expected = reference.Forward(theta, images, batch);
        double scale = expected.Max(Math.Abs);
        double worst = features.Select((x, i) => Math.Abs(x - expected[i])).Max() / scale;
        Assert.True(worst <= 2e-5, $"{description.Name}: CLS features differ from the float64 reference by {worst:E2} of their largest magnitude (bound 2e-5)");

        // Along the compiled gradient g of L = <dOutput, features>: dL/dh at h = 0 of L(theta + h g) is <true gradient, g>,
        // which must equal |g|^2. The central difference of the float64 reference has error O(h^2).
        var g = gradients.Span.ToArray();
        double norm2 = 0;
        foreach (var info in table)
            if (info.Part == ModelPart.Backbone)
                for (long i = info.Offset; i < info.Offset + info.Count; i++) norm2 += (double)g[i] * g[i];
        Assert.True(norm2 > 0, $"{description.Name}: the backbone gradient is zero");
        double h = 1e-3 / Math.Sqrt(norm2);
        double Loss(double sign)
        {
            var shifted = (double[])theta.Clone();
            foreach (var info in table)
                if (info.Part == ModelPart.Backbone)
                    for (long i = info.Offset; i < info.Offset + info.Count; i++) shifted[i] += sign * h * g[i];
            var f = reference.Forward(shifted, images, batch);
            double loss = 0;
            for (int i = 0; i < f.Length; i++) loss += outputGradient[i] * f[i];
            return loss;
        }
        double directional = (Loss(1) - Loss(-1)) / (2 * h);
        double error = Math.Abs(directional - norm2) / norm2;
        Assert.True(error <= 1e-3, $"{description.Name}: along its gradient the compiled backward gives {norm2:G9}, the float64 reference {directional:G9} (relative {error:E2}, bound 1e-3)");
    }

    private static unsafe void TrainTwoSteps<TModel>() where TModel : ICompiledDinoModel
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 2, LocalCrops = 2, Seed = 3 };
        var a = TModel.Description.Architecture;
        using var trainer = new Trainer<TModel>(options, iterationsPerEpoch: 1);
        var random = new Random(9);
        using var global = new NativeBuffer(2L * options.BatchSize * a.Channels * a.GlobalCrop * a.GlobalCrop);
        using var local = new NativeBuffer((long)options.LocalCrops * options.BatchSize * a.Channels * a.LocalCrop * a.LocalCrop);
        float[] before = trainer.Student.Span.ToArray();
        for (int step = 0; step < 2; step++)
        {
            foreach (var buffer in new[] { global, local })
            {
                var span = buffer.Span;
                for (int i = 0; i < span.Length; i++) span[i] = (float)(random.NextDouble() * 2 - 1);
            }
            var report = trainer.TrainStep(global.Ptr, local.Ptr);
            Assert.True(double.IsFinite(report.Loss) && report.Loss > 0, $"{TModel.Description.Name}: step {step} loss {report.Loss}");
        }
        var after = trainer.Student.Span;
        Assert.Equal(2, trainer.Step);
        Assert.True(after.ToArray().All(float.IsFinite), $"{TModel.Description.Name}: a parameter is not finite after two steps");
        var qkv = TModel.Description.Parameters["blocks.0.attn.qkv.weight"];
        Assert.False(before.AsSpan((int)qkv.Offset, (int)qkv.Count).SequenceEqual(after.Slice((int)qkv.Offset, (int)qkv.Count)),
            $"{TModel.Description.Name}: blocks.0.attn.qkv.weight did not train");
    }
}
