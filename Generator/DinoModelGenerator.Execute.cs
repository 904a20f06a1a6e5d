using System;
using System.Linq;
using System.Threading;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Emit;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;
using DinoCompiled.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DinoCompiled.Generator;

/// <summary>The stages' work: symbols -> models, models -> code. Every stage is guarded so a bug becomes DINO9001, never a compiler crash.</summary>
public sealed partial class DinoModelGenerator
{
    private static bool IsTypeDeclaration(SyntaxNode node, CancellationToken _) => node is TypeDeclarationSyntax;

    private Result<ModelSpec> ParsePreset(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Guard("parsing", context, () => PresetModelParser.Parse((INamedTypeSymbol)context.TargetSymbol, context.Attributes[0], cancellationToken));

    private Result<ModelSpec> ParseLayered(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Guard("parsing", context, () => LayeredModelParser.Parse((INamedTypeSymbol)context.TargetSymbol, context.Attributes[0], cancellationToken));

    private EquatableArray<DiagnosticInfo> CheckOrphan(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var result = Guard("checking", context, () => new Result<object>(null, OrphanLayerChecker.Check(context.TargetSymbol, context.Attributes[0], cancellationToken)));
        return result.Diagnostics;
    }

    private Result<CompiledModel> LowerModel(ModelSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            _stageProbe?.Invoke("lowering");
            return ModelLowering.Lower(spec);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new Result<CompiledModel>(null, new[] { Internal("lowering", spec.ClassName, spec.Location, exception) }.ToEquatableArray());
        }
    }

    private void EmitModel(SourceProductionContext context, Result<CompiledModel> result)
    {
        foreach (var diagnostic in result.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
        if (result.Value is not { } model) return;
        try
        {
            _stageProbe?.Invoke("emitting");
            context.AddSource(ModelEmitter.HintName(model.Spec), ModelEmitter.Emit(model));
            if (model.Schedule!.CudaMembers is not null) context.AddSource(CudaModelEmitter.HintName(model.Spec), CudaModelEmitter.Emit(model));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.ReportDiagnostic(Internal("emitting", model.Spec.ClassName, model.Spec.Location, exception).ToDiagnostic());
        }
    }

    private void EmitCatalog(SourceProductionContext context, EquatableArray<ModelSpec> specs)
    {
        // Model names are the command line's handle on a model: two models must not share one.
        var seen = new System.Collections.Generic.Dictionary<string, ModelSpec>(StringComparer.Ordinal);
        foreach (var spec in specs.OrderBy(s => s.FullTypeName, StringComparer.Ordinal))
        {
            if (seen.TryGetValue(spec.ModelName, out var first))
                context.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateModelName, spec.Location, spec.ModelName, spec.FullTypeName, first.FullTypeName).ToDiagnostic());
            else
                seen.Add(spec.ModelName, spec);
        }
        try
        {
            _stageProbe?.Invoke("cataloguing");
            context.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(seen.Values));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.ReportDiagnostic(Internal("cataloguing", "the model catalog", null, exception).ToDiagnostic());
        }
    }

    private static void ReportDiagnostics(SourceProductionContext context, Result<ModelSpec> result)
    {
        foreach (var diagnostic in result.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
    }

    private Result<T> Guard<T>(string stage, GeneratorAttributeSyntaxContext context, Func<Result<T>> run) where T : class
    {
        try
        {
            _stageProbe?.Invoke(stage);
            return run();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var location = LocationInfo.From(context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax() ?? context.TargetNode);
            return new Result<T>(null, new[] { Internal(stage, context.TargetSymbol.Name, location, exception) }.ToEquatableArray());
        }
    }

    private static DiagnosticInfo Internal(string stage, string subject, LocationInfo? location, Exception exception) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, stage, subject, exception.GetType().Name + ": " + exception.Message);
}
