using System;
using System.Collections.Immutable;
using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The generator's GPU plans against what can be computed independently: the forward's tensor-core FLOPs are the
/// FlopCounter's (written from the ViT papers' counting, not from the graph), the backward's are twice the GEMMs' and
/// 10/4 of the attention's (FlashAttention-2 recomputes the scores), every node of the CPU schedule is priced (but the
/// ScaleRows fused into the LayerNormGrad before them), and the bf16 arenas are below the CPU's with the teacher's
/// forward below the training step's.
/// </summary>
public sealed class GpuPlanTests
{
    private static readonly (ModelDescription Model, ImmutableArray<GpuSegmentPlan> Plans)[] s_models =
    [
        (VitSmall16.Description, VitSmall16.GpuPlans), (FmnistTiny.Description, FmnistTiny.GpuPlans),
        (ReducedVit.Description, ReducedVit.GpuPlans), (Width384Heads8.Description, Width384Heads8.GpuPlans),
    ];

    [Fact]
    public void TheForwardsTensorFlopsAreTheFlopCountersAndTheBackwardTwiceThemWithAttentionRecomputed()
    {
        foreach (var (model, plans) in s_models)
        {
            foreach (var flops in model.Flops)
            {
                var plan = plans.Single(p => p.Crop == flops.Crop);
                Assert.Equal(flops.BackboneFlops, plan.Nodes.Where(n => n.Forward).Sum(n => n.TensorFlopsPerUnit));
                long attention = plan.Nodes.Where(n => n.Op == "Attention").Sum(n => n.TensorFlopsPerUnit);
                long patchEmbedding = plan.Nodes.Single(n => n.Forward && n.Layer == "patch_embed" && n.TensorFlopsPerUnit > 0).TensorFlopsPerUnit;
                // The backward: dX and dW of every GEMM but the patch embedding's dX (the image needs none), and 10/4 of the attention.
                long expected = 2 * (flops.BackboneFlops - attention) - patchEmbedding + attention * 10 / 4;
                Assert.Equal(expected, plan.Nodes.Where(n => !n.Forward).Sum(n => n.TensorFlopsPerUnit));
            }
            var head = plans.Single(p => p.Crop == 0);
            Assert.Equal(model.Flops[0].HeadFlops, head.Nodes.Where(n => n.Forward).Sum(n => n.TensorFlopsPerUnit));
        }
    }

    [Fact]
    public void EveryNodeOfTheCpuScheduleIsPricedAndTheBf16ArenasAreBelowTheCpus()
    {
        foreach (var (model, plans) in s_models)
        {
            Assert.Equal(model.Arenas.Select(a => a.Segment), plans.Select(p => p.Segment));
            foreach (var plan in plans)
            {
                var cpu = model.Arenas.Single(a => a.Segment == plan.Segment);
                // Every node of the CPU schedule but the drop-path ScaleRows that the LayerNormGrad before them performs:
                // all of a backbone's 2 per block except the first, which follows ScatterClass. Each fused fc1 + GELU's
                // output is recomputed inside its GELU-derivative pass, so no recomputation is a node of its own.
                int blocks = plan.Nodes.Count(n => n.Forward && n.Op == "LinearGelu" && n.Layer.StartsWith("blocks.", StringComparison.Ordinal));
                int scaleRows = plan.Nodes.Count(n => n.Op == "ScaleRows");
                Assert.Equal(blocks == 0 ? 0 : 1, scaleRows);
                Assert.Equal(cpu.KernelCalls, plan.Nodes.Length + (2 * blocks - scaleRows));
                Assert.DoesNotContain(plan.Nodes, n => n.Op == "GeluRecompute");
                Assert.Equal(plan.Nodes.Count(n => n.Op == "LinearGelu"), plan.Nodes.Count(n => n.Op == "LinearInputGradGelu"));
                Assert.True(plan.TrainingBytesPerUnit < cpu.FloatsPerUnit * sizeof(float) || cpu.FloatsPerUnit == 0,
                    $"{model.Name} {plan.Segment}: GPU {plan.TrainingBytesPerUnit} B per unit, CPU {cpu.FloatsPerUnit * 4} B");
                Assert.True(plan.ForwardBytesPerUnit <= plan.TrainingBytesPerUnit, $"{model.Name} {plan.Segment}: the forward alone needs more than the step");
                Assert.All(plan.Nodes, n => Assert.True(n.BytesPerUnit > 0 || n.FixedBytes > 0, $"{model.Name} {plan.Segment} {n.Op} {n.Layer} moves nothing"));
            }
        }
    }

    [Fact]
    public void TheAttentionKeepsTheLogSumExpNotTheProbabilities()
    {
        var a = VitSmall16.Description.Architecture;
        var attention = VitSmall16.GpuPlans.Single(p => p.Crop == 224).Nodes.First(n => n.Op == "Attention");
        const long tokens = 197;
        int d = a.EmbedDim, heads = a.Blocks[0].Heads;
        // qkv in and the output, bf16; the log-sum-exp per (head, row), fp32; no heads x T x T.
        Assert.Equal(tokens * 3 * d * 2 + tokens * d * 2 + heads * tokens * 4, attention.BytesPerUnit);
    }

    [Fact]
    public void RecomputingTheGeluSavesItsOutputPerBlock()
    {
        // ViT-S/16 at 224: without the recomputation the plan kept fc1's GELU output, 197 x 1536 bf16, in each of the
        // 12 blocks (7.3 MB); the transient that replaces it lives for one weight-gradient GEMM.
        // The recomputation is part of fc2's input-gradient node: its GEMM reads the bf16 branch gradient (197 x 384) and
        // writes dGELU (197 x 1536, bf16); the derivative pass reads dGELU and the pre-activation and writes dpre over
        // it and the recomputed GELU output (4 more bf16 tensors of 197 x 1536).
        var plan = VitSmall16.GpuPlans.Single(p => p.Crop == 224);
        Assert.InRange(plan.TrainingBytesPerUnit, 1, 30L * 1024 * 1024);
        var fc2InputGradient = plan.Nodes.First(n => n.Op == "LinearInputGradGelu");
        Assert.Equal(197L * 384 * 2 + 5 * 197L * 1536 * 2, fc2InputGradient.BytesPerUnit);
        Assert.Equal(2, fc2InputGradient.Launches);
    }
}
