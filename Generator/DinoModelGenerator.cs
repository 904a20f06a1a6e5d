using System;
using System.Collections.Immutable;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;
using DinoCompiled.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator;

/// <summary>
/// Compiles DINO model declarations at build time. This file only wires the stages; each stage's work is in
/// <c>DinoModelGenerator.Execute.cs</c> and the folders it calls into.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DinoModelGenerator : IIncrementalGenerator
{
    private readonly Action<string>? _stageProbe;

    /// <summary>The generator as the compiler loads it.</summary>
    public DinoModelGenerator() : this(null)
    {
    }

    /// <summary>For tests: <paramref name="stageProbe"/> runs at the start of every guarded stage (and may throw).</summary>
    internal DinoModelGenerator(Action<string>? stageProbe) => _stageProbe = stageProbe;

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Discovery: each declaration style becomes a ModelSpec, or diagnostics on the offending attributes.
        var presets = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeNames.VisionTransformer, IsTypeDeclaration, ParsePreset)
            .WithTrackingName(TrackingNames.PresetDeclarations);
        var layered = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeNames.DinoModel, IsTypeDeclaration, ParseLayered)
            .WithTrackingName(TrackingNames.LayeredDeclarations);
        context.RegisterSourceOutput(presets, ReportDiagnostics);
        context.RegisterSourceOutput(layered, ReportDiagnostics);

        // 2. Lowering: valid specs -> parameter layout and costs.
        var compiledPresets = Lower(presets);
        var compiledLayered = Lower(layered);

        // 3. Emission: one file per model, and the catalog of all models in the assembly.
        context.RegisterSourceOutput(compiledPresets, EmitModel);
        context.RegisterSourceOutput(compiledLayered, EmitModel);
        var catalog = compiledPresets.Collect()
            .Combine(compiledLayered.Collect())
            .Select(static (pair, _) => CollectSpecs(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Catalog);
        context.RegisterSourceOutput(catalog, EmitCatalog);

        // Layer attributes no model reads would otherwise be ignored silently.
        foreach (var name in AttributeNames.MemberLayers)
        {
            var orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(name, static (node, _) => true, CheckOrphan)
                .Where(static diagnostics => diagnostics.Count > 0)
                .WithTrackingName(TrackingNames.OrphanLayers);
            context.RegisterSourceOutput(orphans, static (spc, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            });
        }
    }

    private IncrementalValuesProvider<Result<CompiledModel>> Lower(IncrementalValuesProvider<Result<ModelSpec>> declarations) =>
        declarations
            .Where(static result => result.Value is not null)
            .Select(static (result, _) => result.Value!)
            .WithTrackingName(TrackingNames.ValidModels)
            .Select(LowerModel)
            .WithTrackingName(TrackingNames.CompiledModels);

    private static EquatableArray<ModelSpec> CollectSpecs(ImmutableArray<Result<CompiledModel>> left, ImmutableArray<Result<CompiledModel>> right)
    {
        var specs = ImmutableArray.CreateBuilder<ModelSpec>();
        foreach (var result in left) if (result.Value is not null) specs.Add(result.Value.Spec);
        foreach (var result in right) if (result.Value is not null) specs.Add(result.Value.Spec);
        return specs.ToEquatableArray();
    }
}
