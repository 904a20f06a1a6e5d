using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Tests.Fixtures;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>
/// The PyTorch fixtures against our generated parameter tables: the same keys, in the same (state-dict) order, with
/// the same shapes; gradients for exactly the trainable tensors. A failure here means the generator's key naming or
/// shapes disagree with PyTorch's DINO, not that the fixture needs editing.
/// </summary>
public sealed class FixtureTests
{
    public static TheoryData<string> ModelFixtures => new() { FixtureFile.FmnistTiny, FixtureFile.ReducedVit };

    internal static ModelDescription CompiledModel(string fixture) => fixture switch
    {
        FixtureFile.FmnistTiny => DinoCompiled.Models.FmnistTiny.Description,
        FixtureFile.ReducedVit => DinoCompiled.TestModels.ReducedVit.Description,
        _ => throw new KeyNotFoundException(fixture),
    };

    // "name [shape]" lines: on a mismatch xunit shows the first differing line of both lists.
    private static IEnumerable<string> TableRows(IEnumerable<ParameterInfo> parameters) => parameters.Select(p => p.Name + " " + p.ShapeText);

    private static IEnumerable<string> FixtureRows(FixtureFile fixture, string prefix) =>
        fixture.NamesUnder(prefix).Select(key => key + " [" + string.Join(", ", fixture.Shape(prefix + key)) + "]");

    [Theory]
    [MemberData(nameof(ModelFixtures))]
    public void StudentTensorsAreTheGeneratedTableInStateDictOrder(string name)
    {
        var fixture = FixtureFile.Load(name);
        Assert.Equal(TableRows(CompiledModel(name).Parameters), FixtureRows(fixture, "student."));
    }

    [Theory]
    [MemberData(nameof(ModelFixtures))]
    public void TeacherTensorsAreTheGeneratedTableInStateDictOrder(string name)
    {
        var fixture = FixtureFile.Load(name);
        Assert.Equal(TableRows(CompiledModel(name).Parameters), FixtureRows(fixture, fixture.TeacherPrefix));
    }

    [Theory]
    [MemberData(nameof(ModelFixtures))]
    public void GradientsExistForExactlyTheTrainableTensors(string name)
    {
        var fixture = FixtureFile.Load(name);
        var table = CompiledModel(name).Parameters;
        Assert.Equal(TableRows(table.Where(p => p.Trainable)), FixtureRows(fixture, "grad."));
        // weight_g is the one tensor that may be frozen: NormLastLayer decides, in PyTorch as in the table.
        Assert.Equal(table["head.last_layer.weight_g"].Trainable, fixture.Contains("grad.head.last_layer.weight_g"));
    }

    [Theory]
    [MemberData(nameof(ModelFixtures))]
    public void InputsAndOutputsHaveTheShapesOfTheCompiledArchitecture(string name)
    {
        var fixture = FixtureFile.Load(name);
        var arch = CompiledModel(name).Architecture;
        int b = fixture.MetaInt("batch"), locals = fixture.MetaInt("local_crops");
        int globalRows = 2 * b, localRows = locals * b, studentRows = globalRows + localRows;
        int c = arch.Channels, k = arch.Head.OutDim, d = arch.EmbedDim;

        var expected = new Dictionary<string, int[]>
        {
            ["input.global"] = [globalRows, c, arch.GlobalCrop, arch.GlobalCrop],
            ["input.local"] = [localRows, c, arch.LocalCrop, arch.LocalCrop],
            ["center"] = [1, k],
            ["droppath.global.attn"] = [arch.Depth, globalRows],
            ["droppath.global.mlp"] = [arch.Depth, globalRows],
            ["droppath.local.attn"] = [arch.Depth, localRows],
            ["droppath.local.mlp"] = [arch.Depth, localRows],
            ["output.student_cls"] = [studentRows, d],
            ["output.teacher_cls"] = [globalRows, d],
            ["output.student_head"] = [studentRows, k],
            ["output.teacher_head"] = [globalRows, k],
            ["output.loss"] = [1],
            ["output.center_next"] = [1, k],
        };

        var others = fixture.Names.Where(n => !n.StartsWith("student.") && !n.StartsWith("teacher.") && !n.StartsWith("grad."));
        Assert.Equal(expected.Keys, others);
        foreach (var (tensor, shape) in expected)
            Assert.True(shape.SequenceEqual(fixture.Shape(tensor)), $"{tensor}: [{string.Join(", ", fixture.Shape(tensor))}], expected [{string.Join(", ", shape)}]");
    }
}
