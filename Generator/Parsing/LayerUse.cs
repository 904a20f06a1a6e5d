namespace DinoCompiled.Generator.Parsing;

/// <summary>One layer attribute as written on a member of a [DinoModel] class.</summary>
/// <param name="Attribute">The attribute and its arguments.</param>
/// <param name="MemberName">The annotated member.</param>
/// <param name="DeclarationKey">Which partial declaration of the class holds the member (file and position).</param>
internal sealed record LayerUse(AttributeReader Attribute, string MemberName, string DeclarationKey)
{
    public string Kind => Attribute.MetadataName;

    public string Name => Attribute.ShortName;

    /// <summary>The position of the layer kind in the forward order; equal stages may repeat where the grammar allows.</summary>
    public int Stage => Kind switch
    {
        AttributeNames.PatchEmbedding => 0,
        AttributeNames.ClassToken => 1,
        AttributeNames.PositionEmbedding => 2,
        AttributeNames.TransformerBlock => 3,
        AttributeNames.LayerNorm => 4,
        AttributeNames.DinoHead or AttributeNames.Linear or AttributeNames.Gelu => 5,
        AttributeNames.L2Normalize => 6,
        AttributeNames.WeightNormalizedLinear => 7,
        _ => -1,
    };
}
