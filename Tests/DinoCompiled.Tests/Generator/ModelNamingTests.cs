using DinoCompiled.Generator.Parsing;
using Xunit;

namespace DinoCompiled.Tests.Generator;

public sealed class ModelNamingTests
{
    [Theory]
    [InlineData("VitSmall16", "vit-small-16")]
    [InlineData("VitBase8", "vit-base-8")]
    [InlineData("FmnistTiny", "fmnist-tiny")]
    [InlineData("HTTPServer2", "http-server-2")]
    [InlineData("My_Net", "my-net")]
    [InlineData("Net", "net")]
    public void ClassNamesBecomeKebabCase(string className, string name)
    {
        Assert.Equal(name, ModelNaming.KebabCase(className));
        Assert.True(ModelNaming.IsValid(name));
    }

    [Theory]
    [InlineData("Vit Small")]
    [InlineData("vit--small")]
    [InlineData("-vit")]
    [InlineData("")]
    [InlineData("VIT")]
    public void InvalidNamesAreRejected(string name) => Assert.False(ModelNaming.IsValid(name));
}
