using System.Linq;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DinoCompiled.Generator.Parsing;

/// <summary>Checks that a model class can take the generated partial: partial, top-level, non-generic, non-static, not a record.</summary>
internal static class ClassRules
{
    public static void Check(INamedTypeSymbol type, LocationInfo? attributeLocation, DiagnosticBag diagnostics)
    {
        string? problem =
            type.ContainingType is not null ? "nested in '" + type.ContainingType.Name + "'" :
            type.IsGenericType ? "generic" :
            type.IsStatic ? "static" :
            type.IsRecord ? "a record" :
            type.TypeKind != TypeKind.Class ? "a " + type.TypeKind.ToString().ToLowerInvariant() :
            null;
        if (problem is not null)
            diagnostics.Add(DiagnosticDescriptors.UnsupportedClassShape, attributeLocation, type.Name, problem);

        bool partial = type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!partial)
            diagnostics.Add(DiagnosticDescriptors.ClassNotPartial, attributeLocation, type.Name);
    }

    public static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";

    public static AttributeData? Find(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
