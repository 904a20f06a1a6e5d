using System.Linq;
using System.Threading;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DinoCompiled.Generator.Parsing;

/// <summary>
/// Reads one applied attribute's named arguments and finds where each was written, so that a diagnostic
/// lands on the offending argument (or on the attribute when the argument was left at its default).
/// </summary>
internal sealed class AttributeReader
{
    private readonly AttributeData _data;
    private readonly AttributeSyntax? _syntax;

    public AttributeReader(AttributeData data, CancellationToken cancellationToken)
    {
        _data = data;
        _syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        MetadataName = data.AttributeClass?.ToDisplayString() ?? "";
        Location = LocationInfo.From(_syntax);
    }

    /// <summary>The attribute class's full name, <c>DinoCompiled.TransformerBlockAttribute</c>.</summary>
    public string MetadataName { get; }

    /// <summary>The name as written: <c>TransformerBlock</c>.</summary>
    public string ShortName => AttributeNames.ShortName(MetadataName);

    /// <summary>The whole attribute.</summary>
    public LocationInfo? Location { get; }

    /// <summary>Position in its file, to order layers as written.</summary>
    public (string File, int Start) SourcePosition => (Location?.FilePath ?? "", Location?.Start ?? 0);

    public bool Has(string property) => _data.NamedArguments.Any(a => a.Key == property);

    public int Int(string property, int fallback) => Get(property) is int value ? value : fallback;

    public double Double(string property, double fallback) => Get(property) switch
    {
        double d => d,
        float f => f,
        int i => i,
        _ => fallback,
    };

    public bool Bool(string property, bool fallback) => Get(property) is bool value ? value : fallback;

    public string? String(string property) => Get(property) as string;

    /// <summary>Where the argument was written; the attribute itself when it was not.</summary>
    public LocationInfo? LocationOf(string property)
    {
        var argument = _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == property);
        return argument is null ? Location : LocationInfo.From(argument);
    }

    private object? Get(string property)
    {
        foreach (var pair in _data.NamedArguments)
            if (pair.Key == property && pair.Value.Kind != TypedConstantKind.Error)
                return pair.Value.Value;
        return null;
    }
}
