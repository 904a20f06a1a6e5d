// The file is named Training*.cs only because this branch may add files under Runtime/Checkpoints matching
// Training*.cs and Npy*.cs; rename it to BackboneExport.cs when convenient.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// A backbone alone, under the plain keys released DINO backbones use (<c>cls_token</c>, <c>blocks.0.attn.qkv.weight</c>,
/// <c>norm.weight</c>): the file to publish, fine-tune from or extract features with. The metadata names the model it
/// came from, but loading checks shapes only, so a backbone moves between models that share it (another head, a
/// released checkpoint converted to safetensors).
/// </summary>
public static unsafe class BackboneExport
{
    /// <summary>Metadata key holding the name of the model the backbone was exported from.</summary>
    public const string ModelMetadataKey = "model";

    /// <summary>
    /// Writes the backbone tensors of <paramref name="parameters"/> (a flat buffer of <see cref="ParameterTable.FlatLength"/>
    /// floats: the teacher's, usually) to <paramref name="path"/> atomically, as F32.
    /// </summary>
    /// <exception cref="CheckpointException">The file could not be written; a previous file there is kept.</exception>
    public static void Save(string path, ParameterTable table, ReadOnlyMemory<float> parameters, string modelName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        if (parameters.Length != table.FlatLength)
            throw new ArgumentException($"The parameters hold {parameters.Length} floats; the model's flat buffer has {table.FlatLength}.", nameof(parameters));

        var writer = new SafetensorsWriter();
        foreach (var p in Backbone(table))
            writer.AddFloat32(p.Name, parameters.Slice((int)p.Offset, (int)p.Count), p.Shape.AsSpan());
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is ModelMetadataKey or "checkpoint")
                    throw new ArgumentException($"Metadata key '{key}' is reserved for the export itself.", nameof(metadata));
                writer.SetMetadata(key, value);
            }
        }
        writer.SetMetadata(ModelMetadataKey, modelName).SetMetadata("checkpoint", "dino-backbone");

        try
        {
            writer.Write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, "the backbone could not be written (a previous file there is kept): " + e.Message.ReplaceLineEndings(" "), null, e);
        }
    }

    /// <summary>Pointer form of <see cref="Save(string, ParameterTable, ReadOnlyMemory{float}, string, IReadOnlyDictionary{string, string})"/>; the buffer holds <see cref="ParameterTable.FlatLength"/> floats.</summary>
    public static void Save(string path, ParameterTable table, float* parameters, string modelName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        Save(path, table, TrainingState.Wrap(parameters, table.FlatLength), modelName, metadata);
    }

    /// <summary>
    /// Loads a backbone into the backbone tensors of <paramref name="destination"/> (a flat buffer of
    /// <see cref="ParameterTable.FlatLength"/> floats; the head's part is left alone, the backbone's padding zeroed).
    /// Every backbone key must be present with the model's shape and nothing else may be in the file; this is checked
    /// before anything is written. F16, BF16 and F64 tensors are converted to float. <paramref name="modelName"/> names
    /// the model in error messages.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, malformed, or holds another backbone; the message is one line.</exception>
    public static void Load(string path, ParameterTable table, Span<float> destination, string modelName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        if (destination.Length != table.FlatLength)
            throw new ArgumentException($"The destination holds {destination.Length} floats; the model's flat buffer has {table.FlatLength}.", nameof(destination));

        var backbone = Backbone(table).ToList();
        using var file = TrainingCheckpointValidator.Open(path);
        var expected = backbone.Select(p => new TrainingExpectedTensor(p.Name, SafetensorsDType.F32, p.Shape)).ToList();
        TrainingCheckpointValidator.CheckTensors(file, expected, modelName, acceptConvertedFloats: true);

        foreach (var p in backbone)
            TrainingCheckpointValidator.Read(file, p.Name, destination.Slice((int)p.Offset, (int)p.Count));
        TrainingCheckpointValidator.ClearPadding(destination, table, p => p.Part == ModelPart.Backbone);
    }

    /// <summary>Pointer form of <see cref="Load(string, ParameterTable, Span{float}, string)"/>; the buffer holds <see cref="ParameterTable.FlatLength"/> floats.</summary>
    public static void Load(string path, ParameterTable table, float* destination, string modelName)
    {
        ArgumentNullException.ThrowIfNull(table);
        Load(path, table, new Span<float>(destination, checked((int)table.FlatLength)), modelName);
    }

    private static IEnumerable<ParameterInfo> Backbone(ParameterTable table) => table.Where(p => p.Part == ModelPart.Backbone);
}
