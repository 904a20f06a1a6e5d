using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using DinoCompiled.Tests.Fixtures;
using DinoCompiled.Training;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// The compiled models against an independent implementation: PyTorch (tools/fixtures/make_fixtures.py) ran one DINO
/// step in float64 on weights, crops and drop-path scales it drew; the generated code runs the same step in float32.
/// Every output and every parameter gradient must agree to a norm-wise relative error of 1e-4.
/// </summary>
public sealed class WholeModelFixtureTests
{
    private const double Bound = 1e-4;
    private readonly ITestOutputHelper _output;

    public WholeModelFixtureTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void FmnistTinyMatchesPyTorch() => Check<FmnistTiny>(FixtureFile.FmnistTiny);

    [Fact]
    public void ReducedVitWithPositionResizeAndTrainedGainMatchesPyTorch() => Check<ReducedVit>(FixtureFile.ReducedVit);

    private unsafe void Check<TModel>(string fixtureName) where TModel : ICompiledDinoModel
    {
        var fixture = FixtureFile.Load(fixtureName);
        var table = TModel.Description.Parameters;
        var architecture = TModel.Description.Architecture;
        int batch = fixture.MetaInt("batch"), locals = fixture.MetaInt("local_crops"), depth = architecture.Depth, k = architecture.Head.OutDim;

        using var student = Flat(fixture, "student.", table);
        using var teacher = Flat(fixture, fixture.TeacherPrefix, table);
        using var gradients = new NativeBuffer(table.FlatLength);
        using var globalCrops = Load(fixture, "input.global");
        using var localCrops = Load(fixture, "input.local");
        using var center = Load(fixture, "center");
        using var globalDrop = DropScales(fixture, "global", depth, 2 * batch);
        using var localDrop = DropScales(fixture, "local", depth, locals * batch);
        using var step = new DinoStep<TModel>(batch, locals);

        double loss = step.Run(student.Ptr, teacher.Ptr, gradients.Ptr, table.FlatLength, new StepInputs
        {
            GlobalCrops = globalCrops.Ptr, LocalCrops = localCrops.Ptr, GlobalDropScales = globalDrop.Ptr, LocalDropScales = localDrop.Ptr,
            Center = center.Ptr, StudentTemperature = (float)fixture.MetaDouble("student_temp"), TeacherTemperature = (float)fixture.MetaDouble("teacher_temp"),
        });
        DinoLoss.UpdateCenter(step.TeacherLogitsPtr, center.Data, 2 * batch, k, (float)fixture.MetaDouble("center_momentum"));

        var errors = new List<(string Name, double Error)>
        {
            ("output.loss", RelativeError.Of(new[] { (float)loss }, fixture.Tensor("output.loss"))),
            ("output.student_cls", RelativeError.Of(step.StudentFeatures, fixture.Tensor("output.student_cls"))),
            ("output.teacher_cls", RelativeError.Of(step.TeacherFeatures, fixture.Tensor("output.teacher_cls"))),
            ("output.student_head", RelativeError.Of(step.StudentLogits, fixture.Tensor("output.student_head"))),
            ("output.teacher_head", RelativeError.Of(step.TeacherLogits, fixture.Tensor("output.teacher_head"))),
            ("output.center_next", RelativeError.Of(center.Span, fixture.Tensor("output.center_next"))),
        };
        foreach (var p in table.Where(p => p.Trainable))
            errors.Add(("grad." + p.Name, RelativeError.Of(gradients.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), fixture.Tensor("grad." + p.Name))));
        foreach (var p in table.Where(p => !p.Trainable))
            Assert.False(fixture.Contains("grad." + p.Name), $"The fixture has a gradient for the frozen {p.Name}.");

        foreach (var (name, error) in errors) _output.WriteLine($"{name,-40} {error:E2}");
        var failures = errors.Where(e => !(e.Error <= Bound)).ToList();
        Assert.True(failures.Count == 0, $"{fixtureName}: {failures.Count} tensor(s) above {Bound:E0}: " + string.Join(", ", failures.Select(f => $"{f.Name} {f.Error:E2}")));
    }

    private static NativeBuffer Flat(FixtureFile fixture, string prefix, ParameterTable table)
    {
        var flat = new NativeBuffer(table.FlatLength);
        foreach (var p in table)
        {
            Assert.Equal(p.Shape.ToArray(), fixture.Shape(prefix + p.Name).ToArray());
            fixture.Tensor(prefix + p.Name).CopyTo(flat.Span.Slice(checked((int)p.Offset)));
        }
        return flat;
    }

    private static NativeBuffer Load(FixtureFile fixture, string name)
    {
        var values = fixture.Tensor(name);
        var buffer = new NativeBuffer(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    /// <summary>The fixture's per-block attn and mlp scales, interleaved into the compiled layout [block × 2 + branch, units].</summary>
    private static NativeBuffer DropScales(FixtureFile fixture, string group, int depth, int units)
    {
        var attention = fixture.Tensor("droppath." + group + ".attn");
        var mlp = fixture.Tensor("droppath." + group + ".mlp");
        var buffer = new NativeBuffer((long)depth * 2 * units);
        for (int block = 0; block < depth; block++)
        {
            attention.AsSpan(block * units, units).CopyTo(buffer.Span.Slice((2 * block) * units));
            mlp.AsSpan(block * units, units).CopyTo(buffer.Span.Slice((2 * block + 1) * units));
        }
        return buffer;
    }
}
