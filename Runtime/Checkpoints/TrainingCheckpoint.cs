// A DINO training checkpoint: one safetensors file holding everything a resumed run needs to continue bit for bit.
// Layout (keys, in the order written):
//   student.backbone.<key> / student.head.<key without "head.">   every parameter, table order, F32
//   teacher.backbone.<key> / teacher.head.<...>                   likewise for the teacher
//   optimizer.exp_avg.<student key>, optimizer.exp_avg_sq.<student key>   AdamW moments of the trainable tensors
//   optimizer.steps  I64 [tensors]   AdamW's per-tensor step counts, table order (frozen tensors included, as 0)
//   center  F32 [1, K]; step, epoch  I64 []; rng_state  U8 [n]
//   __metadata__: the caller's configuration, plus model, checkpoint = dino-training, checkpoint_version = 1
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;

namespace DinoCompiled.Checkpoints;

/// <summary>Saves and loads a whole DINO training state, atomically, under the official DINO key names.</summary>
public static class TrainingCheckpoint
{
    /// <summary>Prefix of the student's backbone keys.</summary>
    public const string StudentBackbonePrefix = "student.backbone.";

    /// <summary>Prefix of the teacher's backbone keys.</summary>
    public const string TeacherBackbonePrefix = "teacher.backbone.";

    /// <summary>Key of the per-tensor AdamW step counts.</summary>
    public const string OptimizerStepsKey = "optimizer.steps";

    /// <summary>Key of the DINO center.</summary>
    public const string CenterKey = "center";

    /// <summary>Key of the global step.</summary>
    public const string StepKey = "step";

    /// <summary>Key of the epoch.</summary>
    public const string EpochKey = "epoch";

    /// <summary>Key of the opaque RNG/loader state.</summary>
    public const string RngStateKey = "rng_state";

    /// <summary>Metadata key holding the model's name.</summary>
    public const string ModelMetadataKey = "model";

    /// <summary>Metadata the checkpoint writes itself; <see cref="TrainingState.Metadata"/> cannot use these keys.</summary>
    public static readonly ImmutableArray<string> ReservedMetadataKeys = ImmutableArray.Create(ModelMetadataKey, "checkpoint", "checkpoint_version");

    private const string Kind = "dino-training";
    private const string Version = "1";

    /// <summary>The key of a student tensor: <c>student.backbone.blocks.0.attn.qkv.weight</c>, <c>student.head.mlp.0.weight</c>.</summary>
    public static string StudentKey(ParameterInfo parameter) => NetworkKey("student", parameter);

    /// <summary>The key of a teacher tensor: <c>teacher.backbone.cls_token</c>, <c>teacher.head.last_layer.weight_v</c>.</summary>
    public static string TeacherKey(ParameterInfo parameter) => NetworkKey("teacher", parameter);

    /// <summary>The key of a tensor's first AdamW moment: <c>optimizer.exp_avg.student.backbone.cls_token</c>.</summary>
    public static string FirstMomentKey(ParameterInfo parameter) => "optimizer.exp_avg." + StudentKey(parameter);

    /// <summary>The key of a tensor's second AdamW moment: <c>optimizer.exp_avg_sq.student.backbone.cls_token</c>.</summary>
    public static string SecondMomentKey(ParameterInfo parameter) => "optimizer.exp_avg_sq." + StudentKey(parameter);

    /// <summary>
    /// Writes <paramref name="state"/> to <paramref name="path"/> atomically (a temporary file, flushed, then renamed):
    /// a failure at any point leaves a previous checkpoint at <paramref name="path"/> as it was. Tests pass
    /// <paramref name="openTemporary"/> (see <see cref="SafetensorsWriter.Write(string, Func{string, Stream})"/>), a
    /// stream that fails as a full disk does; null opens a <see cref="FileStream"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit the table (buffer lengths, step counts, model name, reserved metadata).</exception>
    /// <exception cref="CheckpointException">The file could not be written; the message names it.</exception>
    public static void Save(string path, ParameterTable table, TrainingState state, Func<string, Stream>? openTemporary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(state);
        int outDim = OutDim(table);
        CheckState(table, state, outDim);
        foreach (string key in state.Metadata.Keys)
        {
            if (ReservedMetadataKeys.Contains(key))
                throw new ArgumentException($"Metadata key '{key}' is reserved for the checkpoint itself.", nameof(state));
        }

        var writer = new SafetensorsWriter();
        foreach (var p in table) writer.AddFloat32(StudentKey(p), Tensor(state.StudentParameters, p), p.Shape.AsSpan());
        foreach (var p in table) writer.AddFloat32(TeacherKey(p), Tensor(state.TeacherParameters, p), p.Shape.AsSpan());
        foreach (var p in table)
            if (p.Trainable) writer.AddFloat32(FirstMomentKey(p), Tensor(state.FirstMoments, p), p.Shape.AsSpan());
        foreach (var p in table)
            if (p.Trainable) writer.AddFloat32(SecondMomentKey(p), Tensor(state.SecondMoments, p), p.Shape.AsSpan());
        // Copies of the small arrays: the caller may go on changing its own while the file is written.
        writer.AddInt64(OptimizerStepsKey, (long[])state.OptimizerSteps.Clone(), table.Count);
        writer.AddFloat32(CenterKey, state.Center, 1, outDim);
        writer.AddInt64(StepKey, new[] { state.Step });
        writer.AddInt64(EpochKey, new[] { state.Epoch });
        writer.AddUInt8(RngStateKey, (byte[])state.RngState.Clone(), state.RngState.Length);

        foreach (var (key, value) in state.Metadata) writer.SetMetadata(key, value);
        writer.SetMetadata(ModelMetadataKey, state.ModelName).SetMetadata("checkpoint", Kind).SetMetadata("checkpoint_version", Version);

        try
        {
            writer.Write(path, openTemporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, "the checkpoint could not be written (a previous file there is kept): " + e.Message.ReplaceLineEndings(" "), null, e);
        }
    }

    /// <summary>
    /// Loads a checkpoint saved by <see cref="Save"/> into <paramref name="into"/>, whose <see cref="TrainingState.ModelName"/>
    /// and flat buffers (student, teacher, both moments: <see cref="ParameterTable.FlatLength"/> floats each; center: K
    /// floats) the caller sets. Everything is validated first: every key present with its shape and dtype, nothing else
    /// in the file, the same model name. Only then is anything written; padding and the moments of frozen tensors are
    /// zeroed. <see cref="TrainingState.OptimizerSteps"/>, <see cref="TrainingState.RngState"/> and
    /// <see cref="TrainingState.Metadata"/> are replaced. (Should the file change on disk between the validation and
    /// the reads, the buffers may be left part-loaded; the error says so by naming the tensor.)
    /// </summary>
    /// <exception cref="ArgumentException">The buffers in <paramref name="into"/> do not fit the table.</exception>
    /// <exception cref="CheckpointException">The file is missing, malformed, or of another model or shape; the message is one line.</exception>
    public static void Load(string path, ParameterTable table, TrainingState into)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(into);
        int outDim = OutDim(table);
        CheckBuffer(into.StudentParameters, table.FlatLength, nameof(TrainingState.StudentParameters));
        CheckBuffer(into.TeacherParameters, table.FlatLength, nameof(TrainingState.TeacherParameters));
        CheckBuffer(into.FirstMoments, table.FlatLength, nameof(TrainingState.FirstMoments));
        CheckBuffer(into.SecondMoments, table.FlatLength, nameof(TrainingState.SecondMoments));
        CheckBuffer(into.Center, outDim, nameof(TrainingState.Center));
        CheckModelName(into.ModelName);

        using var file = OpenChecked(path, table, into.ModelName, outDim);
        var (steps, step, epoch, rng) = ReadSmallTensors(file, table);

        foreach (var p in table)
        {
            TrainingCheckpointValidator.Read(file, StudentKey(p), Tensor(into.StudentParameters, p).Span);
            TrainingCheckpointValidator.Read(file, TeacherKey(p), Tensor(into.TeacherParameters, p).Span);
            if (p.Trainable)
            {
                TrainingCheckpointValidator.Read(file, FirstMomentKey(p), Tensor(into.FirstMoments, p).Span);
                TrainingCheckpointValidator.Read(file, SecondMomentKey(p), Tensor(into.SecondMoments, p).Span);
            }
            else
            {
                Tensor(into.FirstMoments, p).Span.Clear();
                Tensor(into.SecondMoments, p).Span.Clear();
            }
        }
        foreach (var buffer in new[] { into.StudentParameters, into.TeacherParameters, into.FirstMoments, into.SecondMoments })
            TrainingCheckpointValidator.ClearPadding(buffer.Span, table, _ => true);
        TrainingCheckpointValidator.Read(file, CenterKey, into.Center.Span);

        into.OptimizerSteps = steps;
        into.Step = step;
        into.Epoch = epoch;
        into.RngState = rng;
        into.Metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in file.Metadata)
            if (!ReservedMetadataKeys.Contains(key)) into.Metadata[key] = value;
    }

    /// <summary>
    /// Loads one network's parameters (the teacher's by default: the one DINO evaluates) from a training checkpoint into
    /// a flat buffer of <see cref="ParameterTable.FlatLength"/> floats, after the same validation as <see cref="Load"/>.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, malformed, or of another model or shape.</exception>
    public static void LoadParameters(string path, ParameterTable table, string modelName, Span<float> destination, bool teacher = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        CheckModelName(modelName);
        if (destination.Length != table.FlatLength)
            throw new ArgumentException($"The destination holds {destination.Length} floats; the model's flat buffer has {table.FlatLength}.", nameof(destination));

        using var file = OpenChecked(path, table, modelName, OutDim(table));
        foreach (var p in table)
            TrainingCheckpointValidator.Read(file, teacher ? TeacherKey(p) : StudentKey(p), destination.Slice((int)p.Offset, (int)p.Count));
        TrainingCheckpointValidator.ClearPadding(destination, table, _ => true);
    }

    /// <summary>Every tensor a checkpoint of this table holds, in the order <see cref="Save"/> writes them.</summary>
    internal static List<TrainingExpectedTensor> ExpectedTensors(ParameterTable table, int outDim)
    {
        var expected = new List<TrainingExpectedTensor>();
        foreach (var p in table) expected.Add(new(StudentKey(p), SafetensorsDType.F32, p.Shape));
        foreach (var p in table) expected.Add(new(TeacherKey(p), SafetensorsDType.F32, p.Shape));
        foreach (var p in table)
            if (p.Trainable) expected.Add(new(FirstMomentKey(p), SafetensorsDType.F32, p.Shape));
        foreach (var p in table)
            if (p.Trainable) expected.Add(new(SecondMomentKey(p), SafetensorsDType.F32, p.Shape));
        expected.Add(new(OptimizerStepsKey, SafetensorsDType.I64, ImmutableArray.Create(table.Count)));
        expected.Add(new(CenterKey, SafetensorsDType.F32, ImmutableArray.Create(1, outDim)));
        expected.Add(new(StepKey, SafetensorsDType.I64, ImmutableArray<int>.Empty));
        expected.Add(new(EpochKey, SafetensorsDType.I64, ImmutableArray<int>.Empty));
        expected.Add(new(RngStateKey, SafetensorsDType.U8, ImmutableArray<int>.Empty, AnyLength: true));
        return expected;
    }

    private static SafetensorsFile OpenChecked(string path, ParameterTable table, string modelName, int outDim)
    {
        var file = TrainingCheckpointValidator.Open(path);
        try
        {
            // Shapes before the name: "pos_embed has shape A but B" tells a user more than two model names do.
            TrainingCheckpointValidator.CheckTensors(file, ExpectedTensors(table, outDim), modelName, acceptConvertedFloats: false);
            TrainingCheckpointValidator.CheckModelName(file, ModelMetadataKey, modelName);
            if (file.Metadata.TryGetValue("checkpoint_version", out string? version) && version != Version)
                throw new CheckpointException(path, $"checkpoint_version is '{version}'; this build reads version {Version}");
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static (long[] Steps, long Step, long Epoch, byte[] Rng) ReadSmallTensors(SafetensorsFile file, ParameterTable table)
    {
        long[] steps = TrainingCheckpointValidator.Read(file, OptimizerStepsKey, file.ReadInt64);
        long step = TrainingCheckpointValidator.Read(file, StepKey, file.ReadInt64)[0];
        long epoch = TrainingCheckpointValidator.Read(file, EpochKey, file.ReadInt64)[0];
        byte[] rng = TrainingCheckpointValidator.Read(file, RngStateKey, file.ReadUInt8);
        for (int t = 0; t < steps.Length; t++)
        {
            if (steps[t] < 0)
                throw TrainingCheckpointValidator.Fail(file, OptimizerStepsKey, $"{OptimizerStepsKey} holds {steps[t]} for '{table[t].Name}'; step counts cannot be negative");
        }
        if (step < 0) throw TrainingCheckpointValidator.Fail(file, StepKey, $"{StepKey} is {step}; it cannot be negative");
        if (epoch < 0) throw TrainingCheckpointValidator.Fail(file, EpochKey, $"{EpochKey} is {epoch}; it cannot be negative");
        return (steps, step, epoch, rng);
    }

    private static string NetworkKey(string network, ParameterInfo p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Part == ModelPart.Backbone) return network + ".backbone." + p.Name;
        // The table's head keys already start with "head." (head.mlp.0.weight): the network prefix goes in front.
        if (!p.Name.StartsWith("head.", StringComparison.Ordinal))
            throw new InvalidOperationException($"Head parameter '{p.Name}' does not start with 'head.'; its checkpoint key would not be DINO's.");
        return network + "." + p.Name;
    }

    private static int OutDim(ParameterTable table) => table.TryGet("head.last_layer.weight_v", out var last)
        ? last.Shape[0]
        : throw new ArgumentException("The table has no head.last_layer.weight_v: it is not a DINO model with a head.", nameof(table));

    private static Memory<float> Tensor(Memory<float> flat, ParameterInfo p) => flat.Slice((int)p.Offset, (int)p.Count);

    private static void CheckState(ParameterTable table, TrainingState state, int outDim)
    {
        CheckModelName(state.ModelName);
        CheckBuffer(state.StudentParameters, table.FlatLength, nameof(TrainingState.StudentParameters));
        CheckBuffer(state.TeacherParameters, table.FlatLength, nameof(TrainingState.TeacherParameters));
        CheckBuffer(state.FirstMoments, table.FlatLength, nameof(TrainingState.FirstMoments));
        CheckBuffer(state.SecondMoments, table.FlatLength, nameof(TrainingState.SecondMoments));
        CheckBuffer(state.Center, outDim, nameof(TrainingState.Center));
        ArgumentNullException.ThrowIfNull(state.OptimizerSteps);
        ArgumentNullException.ThrowIfNull(state.RngState);
        ArgumentNullException.ThrowIfNull(state.Metadata);
        if (state.OptimizerSteps.Length != table.Count)
            throw new ArgumentException($"OptimizerSteps holds {state.OptimizerSteps.Length} counts; the model has {table.Count} tensors.", nameof(state));
    }

    private static void CheckModelName(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("The model name is empty; set TrainingState.ModelName (it is saved and checked on load).");
    }

    private static void CheckBuffer(Memory<float> buffer, long length, string name)
    {
        if (buffer.Length != length)
            throw new ArgumentException($"{name} holds {buffer.Length} floats; the model needs {length}.");
    }
}
