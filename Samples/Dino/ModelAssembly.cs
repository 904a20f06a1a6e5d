using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cli;

/// <summary>
/// The compiled models of a user's assembly (<c>--models bin/MyModels.dll</c>), found through the catalog the generator
/// writes into every assembly it compiles models in (<c>DinoCompiled.Generated.DinoModelCatalog</c>). The assembly is
/// loaded into the default context, so it shares this program's DinoCompiled.Runtime and its model classes implement
/// the same <see cref="ICompiledDinoModel"/>.
/// </summary>
public sealed class ModelAssembly
{
    private const string CatalogTypeName = "DinoCompiled.Generated.DinoModelCatalog";
    private readonly string _path;
    private readonly MethodInfo _visit;

    private ModelAssembly(string path, IReadOnlyList<ModelDescription> models, MethodInfo visit)
    {
        _path = path;
        Models = models;
        _visit = visit;
    }

    /// <summary>The assembly's models, sorted by name.</summary>
    public IReadOnlyList<ModelDescription> Models { get; }

    /// <summary>Loads <paramref name="path"/> and reads its catalog; a one-line error naming the file when it has none.</summary>
    public static ModelAssembly Load(string path)
    {
        string full = Path.GetFullPath(path);
        Assembly assembly;
        try
        {
            // An assembly already loaded under that name (a second --models of the same file, or a test host) is reused.
            var name = AssemblyName.GetAssemblyName(full);
            assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.Location == full)
                       ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new CliException($"--models: {path} is not a .NET assembly");
        }
        catch (FileLoadException exception)
        {
            throw new CliException($"--models: {path} could not be loaded: {exception.Message.ReplaceLineEndings(" ")}");
        }
        var catalog = assembly.GetType(CatalogTypeName)
            ?? throw new CliException($"--models: {path} holds no compiled models (no {CatalogTypeName}: does its project reference DinoCompiled, whose generator writes it?)");
        var all = catalog.GetProperty("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IReadOnlyList<ModelDescription>;
        var visit = catalog.GetMethod("Visit", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IDinoModelVisitor)]);
        if (all is null || visit is null)
            throw new CliException($"--models: {path}: its model catalog was written by another version of DinoCompiled than this program's");
        if (all.Count == 0) throw new CliException($"--models: {path} holds no compiled models");
        return new ModelAssembly(path, all, visit);
    }

    /// <summary>The model named <paramref name="name"/>, or the only one when null; a one-line error listing the names otherwise.</summary>
    public ModelDescription Resolve(string? name)
    {
        string names = string.Join(", ", Models.Select(m => m.Name));
        if (name is null)
            return Models.Count == 1 ? Models[0] : throw new CliException($"--models: {_path} holds {Models.Count} models ({names}); choose one with --model");
        return Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"unknown model '{name}' in {_path}; it holds: {names}");
    }

    /// <summary>Runs <paramref name="visitor"/> on the compiled class of <paramref name="model"/>.</summary>
    public void Visit(ModelDescription model, IDinoModelVisitor visitor) =>
        // DoNotWrapExceptions: the command's own one-line errors come out as they are, not inside a TargetInvocationException.
        _visit.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, [model.Name, visitor], culture: null);
}
