using System.IO;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary><c>dino models</c>: one line per zoo model with its size.</summary>
public static class ModelsCommand
{
    public static int Run(TextWriter output)
    {
        foreach (var model in ModelZoo.All)
        {
            var a = model.Architecture;
            output.WriteLine($"{model.Name,-14} {Units.Count(model.Parameters.TotalCount),8} parameters  ViT D={a.EmbedDim} depth {a.Depth} patch {a.Patch}, crops {a.GlobalCrop}/{a.LocalCrop}, K={a.Head.OutDim}");
        }
        return DinoCli.Success;
    }
}
