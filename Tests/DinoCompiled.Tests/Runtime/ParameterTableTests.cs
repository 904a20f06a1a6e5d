using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Xunit;

namespace DinoCompiled.Tests.Runtime;

public sealed class ParameterTableTests
{
    private static ParameterInfo Tensor(string name, long offset, params int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        return new ParameterInfo(name, shape.ToImmutableArray(), offset, count, new ParameterInit(InitKind.Constant, 0), false, true, ModelPart.Backbone);
    }

    [Fact]
    public void LooksUpByKeyAndCounts()
    {
        var table = new ParameterTable(ImmutableArray.Create(Tensor("a.weight", 0, 3, 5), Tensor("a.bias", 16, 3)), 32);
        Assert.Equal(18, table.TotalCount);
        Assert.Equal(new[] { 3 }, table["a.bias"].Shape);
        var missing = Assert.Throws<KeyNotFoundException>(() => table["b.weight"]);
        Assert.Contains("'b.weight'", missing.Message);
    }

    [Fact]
    public void RejectsDuplicateKeysOverlapsAndMisalignment()
    {
        Assert.Throws<ArgumentException>(() => new ParameterTable(ImmutableArray.Create(Tensor("a", 0, 4), Tensor("a", 16, 4)), 32));
        Assert.Throws<ArgumentException>(() => new ParameterTable(ImmutableArray.Create(Tensor("a", 0, 20), Tensor("b", 16, 4)), 48));
        Assert.Throws<ArgumentException>(() => new ParameterTable(ImmutableArray.Create(Tensor("a", 0, 4), Tensor("b", 8, 4)), 32));
        Assert.Throws<ArgumentException>(() => new ParameterTable(ImmutableArray.Create(Tensor("a", 0, 40)), 32));
    }
}
