using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.TestModels;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// The architectures the shape-rule sweep compiles (Tests/DinoCompiled.TestModels/Sweep: every head dim 8..256 in steps
/// of 8, token counts 2..1025, depths 1 to 8, widths 176..512, mixed heads per model), and the three declarations that
/// once stopped the build (head dims 48 and 96, and head dim 16 with 5 tokens).
/// </summary>
internal static class ArchitectureSweep
{
    public static readonly Type[] Acceptance = [typeof(Width384Heads8), typeof(Width768Heads8), typeof(FiveTokensHeadDim16)];

    public static readonly Type[] Sweep = typeof(ReducedVit).Assembly.GetTypes()
        .Where(t => t.Namespace == "DinoCompiled.TestModels.Sweep" && t.IsClass && t.IsPublic)
        .OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    public static IEnumerable<Type> All => Sweep.Concat(Acceptance);

    /// <summary>Theory data: the name of every model of <see cref="All"/>.</summary>
    public static IEnumerable<object[]> Names => All.Select(t => new object[] { t.Name });

    /// <summary>Every distinct (tokens, head dim) of the attention of <see cref="All"/>, at the global and the local crop.</summary>
    public static IEnumerable<(int Tokens, int HeadDim)> AttentionShapes =>
        All.SelectMany(t =>
        {
            var a = ((ModelDescription)t.GetProperty("Description")!.GetValue(null)!).Architecture;
            return new[] { a.GlobalCrop, a.LocalCrop }.SelectMany(crop => a.Blocks.Select(b => ((crop / a.Patch) * (crop / a.Patch) + 1, a.EmbedDim / b.Heads)));
        }).Distinct().OrderBy(s => s);

    public static Type Find(string name) => All.Single(t => t.Name == name);
}
