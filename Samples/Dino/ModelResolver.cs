using System.Linq;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary>Finds a zoo model by its command-line name, or fails with the list of known names.</summary>
public static class ModelResolver
{
    public static ModelDescription Resolve(string name) =>
        ModelZoo.Find(name) ?? throw new CliException($"unknown model '{name}'; the known models are: {string.Join(", ", ModelZoo.All.Select(m => m.Name))}");
}
