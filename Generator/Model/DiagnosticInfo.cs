using Microsoft.CodeAnalysis;
using DinoCompiled.Generator.Diagnostics;

namespace DinoCompiled.Generator.Model;

/// <summary>A diagnostic as plain data (descriptor id, location, string arguments) so it can travel in a cached pipeline model.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        var texts = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
            texts[i] = Formatting.Invariant(arguments[i]);
        return new DiagnosticInfo(descriptor.Id, location, texts.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic()
    {
        var args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++) args[i] = Arguments[i];
        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation(), args);
    }
}
