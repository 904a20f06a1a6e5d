using System.Threading;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator.Parsing;

/// <summary>
/// Reports layer attributes that no model will read: a layer on a member of a class without [DinoModel],
/// or a class-level [DinoHead] without [VisionTransformer] or [DinoModel]. Without this they would be silently ignored.
/// </summary>
internal static class OrphanLayerChecker
{
    public static EquatableArray<DiagnosticInfo> Check(ISymbol target, AttributeData attribute, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var reader = new AttributeReader(attribute, cancellationToken);
        if (target is INamedTypeSymbol type)
        {
            // Only [DinoHead] may sit on a class; a preset or layered model parses it there.
            if (ClassRules.Find(type, AttributeNames.VisionTransformer) is null && ClassRules.Find(type, AttributeNames.DinoModel) is null)
                diagnostics.Add(DiagnosticDescriptors.HeadWithoutBackbone, reader.Location, type.Name);
        }
        else if (target.ContainingType is { } owner && ClassRules.Find(owner, AttributeNames.DinoModel) is null)
        {
            diagnostics.Add(DiagnosticDescriptors.LayerOutsideModel, reader.Location, reader.ShortName, target.Name, owner.Name);
        }
        return diagnostics.ToResult<object>(null).Diagnostics;
    }
}
