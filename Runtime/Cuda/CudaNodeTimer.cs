using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// Times a step of the bf16 schedules node by node on the device, for <c>dino gpu check</c>'s predicted-against-measured
/// table: it passes every GEMM and launch to the device's ops and records a mark on the stream at every segment and
/// every plan node the schedules announce (<see cref="CudaOps.BeginSegment"/>, <see cref="CudaOps.Node"/>); the interval
/// from one mark to the next belongs to the earlier mark's node. The step must run eagerly (no CUDA graph): the marks
/// are recorded while the work is queued. Marks cost a few microseconds of gaps each, which the intervals include, as
/// the model's launch gaps do.
/// </summary>
public sealed class CudaNodeTimer : CudaOps
{
    private readonly CudaOps _inner;
    private readonly ICudaEventClock _clock;
    private readonly ImmutableArray<GpuSegmentPlan> _plans;
    private readonly List<(string Stage, GpuSegmentPlan? Plan, int Node)> _marks = new();
    private string _stage = "";
    private GpuSegmentPlan? _plan;

    /// <param name="inner">The ops that do the work (the device's).</param>
    /// <param name="clock">Where the marks go (<see cref="CudaEventClock"/> on the device).</param>
    /// <param name="plans">The model's GPU plans (<c>TModel.GpuPlans</c>), whose nodes the schedules announce.</param>
    public CudaNodeTimer(CudaOps inner, ICudaEventClock clock, ImmutableArray<GpuSegmentPlan> plans)
    {
        _inner = inner;
        _clock = clock;
        _plans = plans;
    }

    /// <summary>Forgets the marks of the last step; call before queueing a step through this timer.</summary>
    public void Start()
    {
        _marks.Clear();
        _stage = "";
        _plan = null;
    }

    /// <summary>
    /// Ends the step: a last mark, a wait for the device, then the time of every mark's interval summed per (stage and
    /// direction, op), in the order the stages first ran.
    /// </summary>
    public IReadOnlyList<CudaNodeTiming> Finish()
    {
        int end = _marks.Count;
        _clock.Record(end);
        _clock.Synchronize();
        var rows = new List<CudaNodeTiming>();
        var index = new Dictionary<(string, string), int>();
        for (int i = 0; i < end; i++)
        {
            var (stage, plan, node) = _marks[i];
            string key, op;
            if (plan is null || node < 0)
            {
                // Outside the schedules: the loss kernels and the gradient clear ("loss"), the trainer's passes after the
                // step ("optimizer", which also waits for the loss read-back), and a segment's launches before its first node.
                key = stage;
                op = plan is not null ? "(segment start)" : stage == "loss" ? "DinoLoss" : "ClipAdamWEma";
            }
            else
            {
                if (node >= plan.Nodes.Length) throw new InvalidOperationException($"The schedule announced node {node} of {plan.Segment}, which has {plan.Nodes.Length}.");
                var n = plan.Nodes[node];
                key = stage + (n.Forward ? " forward" : " backward");
                op = n.Op;
            }
            double seconds = _clock.Seconds(i, i + 1);
            bool counted = plan is not null && node >= 0;
            if (index.TryGetValue((key, op), out int at))
                rows[at] = rows[at] with { Nodes = rows[at].Nodes + (counted ? 1 : 0), Seconds = rows[at].Seconds + seconds };
            else
            {
                index[(key, op)] = rows.Count;
                rows.Add(new CudaNodeTiming(key, op, counted ? 1 : 0, seconds));
            }
        }
        return rows;
    }

    /// <inheritdoc/>
    public override void BeginSegment(string stage, int crop)
    {
        _stage = stage;
        _plan = crop < 0 ? null : _plans.FirstOrDefault(p => p.Crop == crop);
        Mark(-1);
    }

    /// <inheritdoc/>
    public override void Node(int index) => Mark(index);

    /// <inheritdoc/>
    public override void Gemm(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, CudaGemmEpilogue epilogue, Ptr bias,
        Ptr aux, int auxLd) => _inner.Gemm(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, epilogue, bias, aux, auxLd);

    /// <inheritdoc/>
    public override void TypedGemm(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias) =>
        _inner.TypedGemm(types, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);

    /// <inheritdoc/>
    public override void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args) =>
        _inner.Launch(kernel, gridX, gridY, blockX, sharedBytes, args);

    private void Mark(int node)
    {
        _clock.Record(_marks.Count);
        _marks.Add((_stage, _plan, node));
    }
}
