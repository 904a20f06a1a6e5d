namespace DinoCompiled;

/// <summary>Which network a parameter belongs to: the backbone (plain timm keys) or the DINO head (<c>head.</c> keys).</summary>
public enum ModelPart
{
    /// <summary>The Vision Transformer backbone.</summary>
    Backbone,

    /// <summary>The DINO projection head.</summary>
    Head,
}
