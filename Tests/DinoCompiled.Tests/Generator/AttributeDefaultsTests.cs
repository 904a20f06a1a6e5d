using System;
using System.Collections.Generic;
using System.Reflection;
using DinoCompiled.Generator.Parsing;
using Xunit;

namespace DinoCompiled.Tests.Generator;

/// <summary>
/// Roslyn shows the generator only the arguments a user wrote, so the generator keeps its own copy of the attributes'
/// defaults. Here the two copies are held together: every defaulted property of every Runtime attribute is checked.
/// </summary>
public sealed class AttributeDefaultsTests
{
    public static IEnumerable<object[]> Defaults()
    {
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.Channels), AttributeDefaults.Channels);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.ImageSize), AttributeDefaults.ImageSize);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.Patch), AttributeDefaults.Patch);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.EmbedDim), AttributeDefaults.EmbedDim);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.Depth), AttributeDefaults.Depth);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.Heads), AttributeDefaults.Heads);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.MlpRatio), AttributeDefaults.MlpRatio);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.QkvBias), AttributeDefaults.QkvBias);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.DropPathRate), AttributeDefaults.DropPathRate);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.LayerNormEps), AttributeDefaults.LayerNormEps);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.GlobalCrop), AttributeDefaults.GlobalCrop);
        yield return Row<VisionTransformerAttribute>(nameof(VisionTransformerAttribute.LocalCrop), AttributeDefaults.LocalCrop);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.Channels), AttributeDefaults.Channels);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.ImageSize), AttributeDefaults.ImageSize);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.DropPathRate), AttributeDefaults.DropPathRate);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.LayerNormEps), AttributeDefaults.LayerNormEps);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.GlobalCrop), AttributeDefaults.GlobalCrop);
        yield return Row<DinoModelAttribute>(nameof(DinoModelAttribute.LocalCrop), AttributeDefaults.LocalCrop);
        yield return Row<DinoHeadAttribute>(nameof(DinoHeadAttribute.OutDim), AttributeDefaults.OutDim);
        yield return Row<DinoHeadAttribute>(nameof(DinoHeadAttribute.Hidden), AttributeDefaults.Hidden);
        yield return Row<DinoHeadAttribute>(nameof(DinoHeadAttribute.Bottleneck), AttributeDefaults.Bottleneck);
        yield return Row<DinoHeadAttribute>(nameof(DinoHeadAttribute.Layers), AttributeDefaults.HeadLayers);
        yield return Row<DinoHeadAttribute>(nameof(DinoHeadAttribute.NormLastLayer), AttributeDefaults.NormLastLayer);
        yield return Row<TransformerBlockAttribute>(nameof(TransformerBlockAttribute.MlpRatio), AttributeDefaults.MlpRatio);
        yield return Row<TransformerBlockAttribute>(nameof(TransformerBlockAttribute.QkvBias), AttributeDefaults.QkvBias);
        yield return Row<TransformerBlockAttribute>(nameof(TransformerBlockAttribute.Repeat), AttributeDefaults.Repeat);
        yield return Row<LinearAttribute>(nameof(LinearAttribute.Bias), AttributeDefaults.LinearBias);
        yield return Row<WeightNormalizedLinearAttribute>(nameof(WeightNormalizedLinearAttribute.NormLastLayer), AttributeDefaults.NormLastLayer);
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void GeneratorDefaultMatchesTheAttribute(Type attribute, string property, object generatorDefault)
    {
        var instance = Activator.CreateInstance(attribute)!;
        Assert.Equal(generatorDefault, attribute.GetProperty(property)!.GetValue(instance));
    }

    [Fact]
    public void EveryDefaultedPropertyIsCovered()
    {
        var covered = new HashSet<string>();
        foreach (var row in Defaults()) covered.Add(((Type)row[0]).Name + "." + row[1]);
        foreach (var type in typeof(VisionTransformerAttribute).Assembly.GetTypes())
        {
            if (type.Namespace != "DinoCompiled" || !typeof(Attribute).IsAssignableFrom(type)) continue;
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var value = property.GetValue(instance);
                bool isDefault = value is null || value.Equals(Activator.CreateInstance(property.PropertyType));
                if (!isDefault)
                    Assert.True(covered.Contains(type.Name + "." + property.Name), $"{type.Name}.{property.Name} has default {value} but no generator default is checked.");
            }
        }
    }

    private static object[] Row<T>(string property, object value) => new object[] { typeof(T), property, value };
}
