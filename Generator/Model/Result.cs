namespace DinoCompiled.Generator.Model;

/// <summary>A pipeline value together with the diagnostics found while producing it; <see cref="Value"/> is null when the declaration is invalid.</summary>
internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class;
