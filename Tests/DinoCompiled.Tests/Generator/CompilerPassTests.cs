using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Generator.Compiler;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;
using Xunit;

namespace DinoCompiled.Tests.Generator;

/// <summary>
/// Invariants of the compiler passes on every zoo model and the fixture model: the schedule reads nothing before it is
/// written, the memory plan never lets two tensors that are alive together share memory, and fusion leaves no
/// fusable pair behind.
/// </summary>
public sealed class CompilerPassTests
{
    private static readonly Dictionary<string, CompiledModel> s_models = new[]
    {
        Model("fmnist", layers: 4, channels: 1, image: 28, patch: 4, dim: 128, heads: 4, hidden: 512, global: 28, local: 12, head: new[] { 512, 512, 128 }, k: 4096, normLast: true),
        Model("vit-s16", layers: 12, channels: 3, image: 224, patch: 16, dim: 384, heads: 6, hidden: 1536, global: 224, local: 96, head: new[] { 2048, 2048, 256 }, k: 65536, normLast: true),
        Model("reduced", layers: 2, channels: 3, image: 32, patch: 8, dim: 64, heads: 2, hidden: 256, global: 32, local: 16, head: new[] { 128, 128, 32 }, k: 256, normLast: false),
        Model("one-linear-head", layers: 1, channels: 1, image: 16, patch: 4, dim: 32, heads: 2, hidden: 64, global: 16, local: 16, head: new[] { 16 }, k: 64, normLast: true),
    }.ToDictionary(m => m.Name, m => m.Model);

    public static IEnumerable<object[]> Models => s_models.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryArenaTensorIsWrittenBeforeItIsRead(string name)
    {
        var model = s_models[name];
        foreach (var (graph, _, _) in ScheduleCompiler.CompileGraphs(model))
        {
            var written = new HashSet<GraphTensor>();
            foreach (var node in graph.Forward.Concat(graph.Backward))
            {
                var reads = node.Inputs.Concat(new[] { node.EpilogueInput }.Where(t => t is not null)!).Select(t => t!.Storage);
                if (node.Accumulate) reads = reads.Concat(node.Outputs.Take(1).Select(t => t.Storage));
                foreach (var tensor in reads.Where(t => t.Role == TensorRole.Arena))
                    Assert.True(written.Contains(tensor), $"{name}/{graph.Name}: {node} reads {tensor} before anything wrote it.");
                foreach (var tensor in node.Outputs.Concat(new[] { node.PreActivation }.Where(t => t is not null)!))
                    written.Add(tensor!.Storage);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TensorsAliveTogetherNeverShareMemory(string name)
    {
        var model = s_models[name];
        foreach (var (graph, plan, _) in ScheduleCompiler.CompileGraphs(model))
        {
            var schedule = graph.Forward.Concat(graph.Backward).ToList();
            var first = new Dictionary<GraphTensor, int>();
            var last = new Dictionary<GraphTensor, int>();
            for (int i = 0; i < schedule.Count; i++)
            {
                var node = schedule[i];
                foreach (var t in node.Inputs.Concat(node.Outputs).Concat(new[] { node.EpilogueInput, node.PreActivation }.Where(t => t is not null)!))
                {
                    var storage = t!.Storage;
                    if (storage.Role != TensorRole.Arena) continue;
                    if (!first.ContainsKey(storage)) first[storage] = i;
                    last[storage] = i;
                }
            }
            var tensors = first.Keys.ToList();
            for (int a = 0; a < tensors.Count; a++)
            {
                for (int b = a + 1; b < tensors.Count; b++)
                {
                    GraphTensor x = tensors[a], y = tensors[b];
                    if (x.IsFixed != y.IsFixed || first[x] > last[y] || first[y] > last[x]) continue;
                    long xs = plan.Offsets[x], ys = plan.Offsets[y];
                    long xe = xs + (x.IsFixed ? x.FixedCount : x.CountPerUnit), ye = ys + (y.IsFixed ? y.FixedCount : y.CountPerUnit);
                    Assert.False(xs < ye && ys < xe, $"{name}/{graph.Name}: {x} [{xs}, {xe}) and {y} [{ys}, {ye}) overlap while both are alive.");
                }
            }
            long size = tensors.Where(t => !t.IsFixed).Select(t => plan.Offsets[t] + t.CountPerUnit).DefaultIfEmpty(0).Max();
            Assert.True(size <= plan.FloatsPerUnit, $"{name}/{graph.Name}: a tensor ends at {size}, past the arena's {plan.FloatsPerUnit} floats per unit.");
            Assert.True(plan.FloatsPerUnit < plan.UnplannedFloatsPerUnit, $"{name}/{graph.Name}: the plan reuses no memory.");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FusionLeavesNoFusablePairAndEveryParameterGetsAGradient(string name)
    {
        var model = s_models[name];
        var gradients = new HashSet<long>();
        foreach (var (graph, _, _) in ScheduleCompiler.CompileGraphs(model))
        {
            Assert.DoesNotContain(graph.Forward, n => n.Op is OpKind.Gelu && graph.Name != "Head");
            Assert.DoesNotContain(graph.Forward, n => n.Op is OpKind.ResidualAdd);
            Assert.DoesNotContain(graph.Backward, n => n.Op is OpKind.GeluGrad);
            foreach (var node in graph.Backward)
                foreach (var t in node.Outputs.Where(t => t.Role == TensorRole.ParameterGradient))
                {
                    Assert.True(node.Accumulate || node.Op is OpKind.LayerNormGrad or OpKind.AssembleTokensGrad or OpKind.WeightNormGrad,
                        $"{name}/{graph.Name}: {node} overwrites the gradient of {t.Name}, which other segments also add to.");
                    gradients.Add(t.ParameterOffset);
                }
        }
        foreach (var p in model.Parameters.Where(p => p.Trainable))
        {
            bool reached = gradients.Contains(p.Offset) || (p.Name == "pos_embed" && gradients.Contains(p.Offset + model.Spec.EmbedDim));
            Assert.True(reached, $"{name}: no gradient reaches {p.Name}.");
        }
    }

    private static (string Name, CompiledModel Model) Model(string name, int layers, int channels, int image, int patch, int dim, int heads, int hidden, int global, int local, int[] head, int k, bool normLast)
    {
        var mlp = new List<HeadLayerSpec>();
        for (int i = 0; i < head.Length; i++)
        {
            if (i > 0) mlp.Add(HeadLayerSpec.Gelu);
            mlp.Add(HeadLayerSpec.Linear(head[i], bias: true));
        }
        var blocks = Enumerable.Range(0, layers).Select(i => new BlockSpec(heads, hidden, true, 0.1 * i / System.Math.Max(1, layers - 1))).ToEquatableArray();
        var spec = new ModelSpec("Tests", "M", name, "presets", channels, image, patch, dim, blocks, 1e-6, global, local,
            new HeadSpec(mlp.ToEquatableArray(), k, normLast), null);
        var (parameters, flat) = ParameterTableBuilder.Build(spec);
        return (name, new CompiledModel(spec, parameters, flat, FlopCounter.Count(spec)));
    }
}
