namespace DinoCompiled.Generator.Model;

/// <summary>The DINO head: the MLP as a layer sequence (named like an <c>nn.Sequential</c>), then L2-normalize and the weight-normalized last layer.</summary>
internal sealed record HeadSpec(EquatableArray<HeadLayerSpec> Mlp, int OutDim, bool NormLastLayer)
{
    /// <summary>Output width of the last Linear of the MLP.</summary>
    public int Bottleneck
    {
        get
        {
            for (int i = Mlp.Count - 1; i >= 0; i--)
                if (Mlp[i].Kind == HeadLayerKind.Linear) return Mlp[i].Out;
            return 0;
        }
    }
}
