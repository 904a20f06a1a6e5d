using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Models;

/// <summary>The models of the zoo, looked up by their command-line names.</summary>
public static class ModelZoo
{
    /// <summary>Every model in the zoo, sorted by name.</summary>
    public static IReadOnlyList<ModelDescription> All => DinoCompiled.Generated.DinoModelCatalog.All;

    /// <summary>The model with that name (<c>vit-small-16</c>), or null.</summary>
    public static ModelDescription? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs <paramref name="visitor"/> on the compiled class of the model with that name; false when there is none.</summary>
    public static bool Visit(string name, DinoCompiled.Compiled.IDinoModelVisitor visitor) =>
        Find(name) is { } model && DinoCompiled.Generated.DinoModelCatalog.Visit(model.Name, visitor);
}
