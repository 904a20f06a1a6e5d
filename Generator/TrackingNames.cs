namespace DinoCompiled.Generator;

/// <summary>Names of the tracked pipeline steps; the incrementality tests assert each is cached on a second run.</summary>
internal static class TrackingNames
{
    public const string PresetDeclarations = nameof(PresetDeclarations);
    public const string LayeredDeclarations = nameof(LayeredDeclarations);
    public const string ValidModels = nameof(ValidModels);
    public const string CompiledModels = nameof(CompiledModels);
    public const string Catalog = nameof(Catalog);
    public const string OrphanLayers = nameof(OrphanLayers);
}
