using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Static memory planning: liveness of every arena tensor over the whole forward + backward schedule, then first-fit
/// placement so tensors whose lifetimes do not overlap share memory. A tensor is live from the node that first writes
/// it to the last node that touches it, inclusive, so an op never writes over one of its own inputs.
/// Aliases (identity gradients) share their target's storage and extend its lifetime. Taps live at least to the end
/// of the forward.
/// </summary>
internal static class MemoryPlanner
{
    public const int Alignment = 16;

    public static MemoryPlan Plan(Graph graph)
    {
        // Taps are touched once more by a step between the forward and the backward: live to the forward's end.
        var taps = graph.Tensors.Where(t => t.Tap is not null).ToList();
        var steps = graph.Forward.Select(Touched).ToList();
        if (taps.Count > 0) steps.Add(taps);
        steps.AddRange(graph.Backward.Select(Touched));
        var (first, last) = Liveness(steps);

        var plan = new MemoryPlan();
        var tensors = first.Keys.OrderBy(t => first[t]).ThenBy(t => t.Id).ToList();
        plan.FixedFloats = Place(tensors.Where(t => t.IsFixed).ToList(), t => Align(t.FixedCount), first, last, plan.Offsets);
        plan.FloatsPerUnit = Place(tensors.Where(t => !t.IsFixed).ToList(), t => Align(t.CountPerUnit), first, last, plan.Offsets);
        plan.UnplannedFixedFloats = tensors.Where(t => t.IsFixed).Sum(t => Align(t.FixedCount));
        plan.UnplannedFloatsPerUnit = tensors.Where(t => !t.IsFixed).Sum(t => Align(t.CountPerUnit));
        return plan;
    }

    /// <summary>
    /// The peak of the same first-fit placement over <paramref name="schedule"/> with other sizes (the GPU plan's bytes):
    /// the fixed part and the part per unit, each in the sizes' own unit.
    /// </summary>
    public static (long Fixed, long PerUnit) PlanSizes(IReadOnlyList<GraphNode> schedule, Func<GraphTensor, long> perUnitSize, Func<GraphTensor, long> fixedSize) =>
        PlanSizes(schedule.Select(Touched).ToList(), perUnitSize, fixedSize);

    /// <summary>The same over steps given as the tensors each touches (a schedule with steps of its own, such as a recomputation).</summary>
    public static (long Fixed, long PerUnit) PlanSizes(IReadOnlyList<IReadOnlyList<GraphTensor>> steps, Func<GraphTensor, long> perUnitSize, Func<GraphTensor, long> fixedSize)
    {
        var (fixedPeak, perUnitPeak, _) = Place(steps, perUnitSize, fixedSize);
        return (fixedPeak, perUnitPeak);
    }

    /// <summary>
    /// The placement itself: the two peaks and every arena storage's offset (a fixed tensor's from the arena's start, a
    /// per-unit tensor's within the per-unit part, to be multiplied by the units), in the sizes' own unit.
    /// </summary>
    /// <remarks>
    /// Tensors are placed in order of first use, or, with <paramref name="largestFixedFirst"/>, the fixed ones largest
    /// first (greedy by size): a few large fixed tensors of different sizes (the head's bf16 last layer and its fp32
    /// gradient) fold into less space that way, where first-fit by first use leaves a small one under a large one's slot.
    /// </remarks>
    public static (long Fixed, long PerUnit, Dictionary<GraphTensor, long> Offsets) Place(IReadOnlyList<IReadOnlyList<GraphTensor>> steps,
        Func<GraphTensor, long> perUnitSize, Func<GraphTensor, long> fixedSize, bool largestFixedFirst = false)
    {
        var (first, last) = Liveness(steps);
        var tensors = first.Keys.OrderBy(t => first[t]).ThenBy(t => t.Id).ToList();
        var offsets = new Dictionary<GraphTensor, long>();
        var fixedTensors = tensors.Where(t => t.IsFixed).ToList();
        if (largestFixedFirst) fixedTensors = fixedTensors.OrderByDescending(fixedSize).ThenBy(t => first[t]).ThenBy(t => t.Id).ToList();
        long fixedPeak = Place(fixedTensors, fixedSize, first, last, offsets);
        long perUnitPeak = Place(tensors.Where(t => !t.IsFixed).ToList(), perUnitSize, first, last, offsets);
        return (fixedPeak, perUnitPeak, offsets);
    }

    /// <summary>Every tensor a node reads or writes, its epilogue's included.</summary>
    public static IReadOnlyList<GraphTensor> Touched(GraphNode node) => node.Inputs.Concat(node.Outputs).Concat(EpilogueTensors(node)).ToList();

    /// <summary>The first and last step that touches each arena storage.</summary>
    private static (Dictionary<GraphTensor, int> First, Dictionary<GraphTensor, int> Last) Liveness(IReadOnlyList<IReadOnlyList<GraphTensor>> steps)
    {
        var first = new Dictionary<GraphTensor, int>();
        var last = new Dictionary<GraphTensor, int>();
        for (int i = 0; i < steps.Count; i++)
        {
            foreach (var tensor in steps[i])
            {
                var storage = tensor.Storage;
                if (storage.Role != TensorRole.Arena) continue;
                if (!first.ContainsKey(storage)) first[storage] = i;
                last[storage] = i;
            }
        }
        return (first, last);
    }

    private static IEnumerable<GraphTensor> EpilogueTensors(GraphNode node)
    {
        if (node.EpilogueInput is not null) yield return node.EpilogueInput;
        if (node.PreActivation is not null) yield return node.PreActivation;
    }

    /// <summary>First-fit by offset among the tensors live at the same time; returns the peak size.</summary>
    private static long Place(List<GraphTensor> tensors, Func<GraphTensor, long> size, Dictionary<GraphTensor, int> first, Dictionary<GraphTensor, int> last, Dictionary<GraphTensor, long> offsets)
    {
        var placed = new List<(GraphTensor Tensor, long Offset, long Size)>();
        long peak = 0;
        foreach (var tensor in tensors)
        {
            long need = size(tensor);
            var busy = placed
                .Where(p => first[p.Tensor] <= last[tensor] && first[tensor] <= last[p.Tensor])
                .OrderBy(p => p.Offset)
                .ToList();
            long offset = 0;
            foreach (var p in busy)
            {
                if (offset + need <= p.Offset) break;
                offset = Math.Max(offset, p.Offset + p.Size);
            }
            placed.Add((tensor, offset, need));
            offsets[tensor] = offset;
            peak = Math.Max(peak, offset + need);
        }
        return peak;
    }

    private static long Align(long floats) => (floats + Alignment - 1) / Alignment * Alignment;
}
