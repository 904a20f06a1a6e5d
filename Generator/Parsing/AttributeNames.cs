using System.Collections.Generic;

namespace DinoCompiled.Generator.Parsing;

/// <summary>Metadata names of the Runtime's declaration attributes; the generator knows them only by name.</summary>
internal static class AttributeNames
{
    public const string Namespace = "DinoCompiled";

    public const string VisionTransformer = "DinoCompiled.VisionTransformerAttribute";
    public const string DinoHead = "DinoCompiled.DinoHeadAttribute";
    public const string DinoModel = "DinoCompiled.DinoModelAttribute";

    public const string PatchEmbedding = "DinoCompiled.PatchEmbeddingAttribute";
    public const string ClassToken = "DinoCompiled.ClassTokenAttribute";
    public const string PositionEmbedding = "DinoCompiled.PositionEmbeddingAttribute";
    public const string TransformerBlock = "DinoCompiled.TransformerBlockAttribute";
    public const string LayerNorm = "DinoCompiled.LayerNormAttribute";
    public const string Linear = "DinoCompiled.LinearAttribute";
    public const string Gelu = "DinoCompiled.GeluAttribute";
    public const string L2Normalize = "DinoCompiled.L2NormalizeAttribute";
    public const string WeightNormalizedLinear = "DinoCompiled.WeightNormalizedLinearAttribute";

    /// <summary>Attributes that may annotate a member of a <c>[DinoModel]</c> class (the head preset included).</summary>
    public static readonly IReadOnlyList<string> MemberLayers = new[]
    {
        PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock, LayerNorm,
        DinoHead, Linear, Gelu, L2Normalize, WeightNormalizedLinear,
    };

    /// <summary>The short name a user writes: <c>DinoCompiled.TransformerBlockAttribute</c> is <c>TransformerBlock</c>.</summary>
    public static string ShortName(string metadataName)
    {
        var name = metadataName.Substring(metadataName.LastIndexOf('.') + 1);
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }
}
