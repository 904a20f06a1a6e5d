using System.Collections.Generic;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator.Parsing;

/// <summary>Collects the diagnostics of one declaration while it is parsed.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<DiagnosticInfo> _items = new();

    public bool HasErrors { get; private set; }

    public void Add(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        _items.Add(DiagnosticInfo.Create(descriptor, location, arguments));
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
    }

    public Result<T> ToResult<T>(T? value) where T : class =>
        new(HasErrors ? null : value, _items.ToEquatableArray());
}
