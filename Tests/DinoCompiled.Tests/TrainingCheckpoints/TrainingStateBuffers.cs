using System;
using System.Collections.Generic;
using DinoCompiled.Checkpoints;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// Managed flat buffers for a <see cref="TrainingState"/> of one model: filled with seeded random values (padding
/// zero, as a trainer's buffers are) or poisoned with NaN everywhere (so a load that forgets an element, or leaves
/// padding dirty, shows).
/// </summary>
internal sealed class TrainingStateBuffers
{
    public TrainingStateBuffers(ParameterTable table)
    {
        Table = table;
        OutDim = table["head.last_layer.weight_v"].Shape[0];
        Student = new float[table.FlatLength];
        Teacher = new float[table.FlatLength];
        FirstMoments = new float[table.FlatLength];
        SecondMoments = new float[table.FlatLength];
        Center = new float[OutDim];
    }

    public ParameterTable Table { get; }

    public int OutDim { get; }

    public float[] Student { get; }

    public float[] Teacher { get; }

    public float[] FirstMoments { get; }

    public float[] SecondMoments { get; }

    public float[] Center { get; }

    public static TrainingStateBuffers Random(ParameterTable table, int seed)
    {
        var buffers = new TrainingStateBuffers(table);
        var random = new Random(seed);
        foreach (var flat in new[] { buffers.Student, buffers.Teacher, buffers.FirstMoments, buffers.SecondMoments })
        {
            foreach (var p in table)
                for (long i = p.Offset; i < p.Offset + p.Count; i++) flat[i] = (float)(random.NextDouble() * 2 - 1);
        }
        foreach (var p in table)
        {
            if (p.Trainable) continue;
            // A frozen tensor has no moments in a real run.
            Array.Clear(buffers.FirstMoments, (int)p.Offset, (int)p.Count);
            Array.Clear(buffers.SecondMoments, (int)p.Offset, (int)p.Count);
        }
        // Values whose bits a lossy path would change: negative zero, a subnormal, the extremes.
        buffers.Student[0] = -0f;
        buffers.Student[1] = float.Epsilon;
        buffers.Teacher[0] = float.MaxValue;
        buffers.Teacher[1] = float.MinValue;
        for (int k = 0; k < buffers.OutDim; k++) buffers.Center[k] = (float)(random.NextDouble() - 0.5);
        return buffers;
    }

    public static TrainingStateBuffers Poisoned(ParameterTable table)
    {
        var buffers = new TrainingStateBuffers(table);
        foreach (var flat in new[] { buffers.Student, buffers.Teacher, buffers.FirstMoments, buffers.SecondMoments, buffers.Center })
            Array.Fill(flat, float.NaN);
        return buffers;
    }

    public TrainingState State(string modelName, long step = 0, long epoch = 0) => new()
    {
        ModelName = modelName,
        StudentParameters = Student,
        TeacherParameters = Teacher,
        FirstMoments = FirstMoments,
        SecondMoments = SecondMoments,
        Center = Center,
        OptimizerSteps = StepsFor(Table, step),
        Step = step,
        Epoch = epoch,
        RngState = new byte[] { 1, 2, 3, 250, 0, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 255 },
        Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["lr"] = "0.0005", ["batch"] = "128", ["teacher_temp"] = "0.04" },
    };

    /// <summary>AdamW-like step counts: the frozen tensor never stepped, the last layer (frozen in epoch 0) stepped less.</summary>
    private static long[] StepsFor(ParameterTable table, long step)
    {
        var steps = new long[table.Count];
        for (int t = 0; t < table.Count; t++)
            steps[t] = !table[t].Trainable ? 0 : table[t].Name.StartsWith("head.last_layer.", StringComparison.Ordinal) ? Math.Max(0, step - 3) : step;
        return steps;
    }
}
