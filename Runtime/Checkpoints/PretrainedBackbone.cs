using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Cpu;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// Initializes a model's backbone from pretrained weights (<c>dino train --init-from FILE</c>). The file is a safetensors
/// file holding either a backbone under timm/DINO keys (<c>cls_token</c>, <c>blocks.0.attn.qkv.weight</c>; the released
/// DINO checkpoints converted to safetensors, a <see cref="BackboneExport"/>), with the <c>module.</c> and
/// <c>backbone.</c> prefixes stripped as the reference's <c>load_pretrained_weights</c> does, or one of our training
/// checkpoints, whose teacher's backbone is taken (the network DINO evaluates and publishes). A classifier head
/// (<c>head.*</c>) is ignored and reported. A position embedding of another grid is resized bicubically with the
/// reference's scale factor (G + 0.1) / g, as the compiled forward resizes it for other crops. Everything is checked
/// before anything is written, and a file that does not fit names its missing, unexpected and mis-shaped keys in one line.
/// </summary>
public static class PretrainedBackbone
{
    private const string PositionKey = "pos_embed";
    private const string TeacherPrefix = "teacher.backbone.";
    private const int ListedKeys = 4;

    /// <summary>
    /// Loads the backbone tensors of <paramref name="path"/> into the backbone part of <paramref name="destination"/>
    /// (a flat buffer of <see cref="ParameterTable.FlatLength"/> floats); the head's part is left as it is.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing or malformed, or does not fit the model; <paramref name="destination"/> is untouched.</exception>
    public static PretrainedBackboneReport Load(string path, ParameterTable table, Span<float> destination, string modelName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        if (destination.Length != table.FlatLength)
            throw new ArgumentException($"The destination holds {destination.Length} floats; the model's flat buffer has {table.FlatLength}.", nameof(destination));

        using var file = TrainingCheckpointValidator.Open(path);
        bool trainingCheckpoint = file.Names.Any(n => n.StartsWith(TeacherPrefix, StringComparison.Ordinal));
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var ignored = new List<string>();
        var backbone = table.Where(p => p.Part == ModelPart.Backbone).ToList();
        var wanted = backbone.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (string name in file.Names)
        {
            string key;
            if (trainingCheckpoint)
            {
                // The rest of a training checkpoint (student, head, moments, center) is known and not wanted here.
                if (!name.StartsWith(TeacherPrefix, StringComparison.Ordinal)) continue;
                key = name[TeacherPrefix.Length..];
            }
            else
            {
                key = name.Replace("module.", "", StringComparison.Ordinal).Replace("backbone.", "", StringComparison.Ordinal);
                if (key.StartsWith("head.", StringComparison.Ordinal) && !wanted.ContainsKey(key))
                {
                    ignored.Add(name);
                    continue;
                }
            }
            if (!wanted.ContainsKey(key) || keys.ContainsKey(key))
            {
                unexpected.Add($"{name} {file.TensorInfo(name).ShapeText}");
                continue;
            }
            keys[key] = name;
        }

        var missing = new List<string>();
        var misShaped = new List<string>();
        int? sourceGrid = null;
        foreach (var p in backbone)
        {
            if (!keys.TryGetValue(p.Name, out string? name))
            {
                missing.Add($"{p.Name} {p.ShapeText}");
                continue;
            }
            var info = file.TensorInfo(name);
            if (!info.DType.IsFloatingPoint())
            {
                misShaped.Add($"{name} is {info.DType.HeaderName()}, not a float");
                continue;
            }
            if (info.Shape.SequenceEqual(p.Shape)) continue;
            if (p.Name == PositionKey && ResizableGrid(info.Shape, p.Shape) is int grid)
            {
                sourceGrid = grid;
                continue;
            }
            misShaped.Add($"{name} {info.ShapeText} in the file, {p.ShapeText} in {modelName}");
        }

        if (missing.Count > 0 || misShaped.Count > 0 || unexpected.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing " + List(missing));
            if (unexpected.Count > 0) parts.Add("unexpected " + List(unexpected));
            if (misShaped.Count > 0) parts.Add("mis-shaped " + List(misShaped));
            throw new CheckpointException(path, $"does not fit {modelName}'s backbone: {string.Join("; ", parts)}");
        }

        // Every check passed: read into a copy, so that a file that changes while it is read leaves the model as it was.
        var loaded = destination.ToArray();
        int? targetGrid = null;
        foreach (var p in backbone)
        {
            var slice = loaded.AsSpan((int)p.Offset, (int)p.Count);
            string name = keys[p.Name];
            if (p.Name == PositionKey && sourceGrid is int g)
            {
                int d = p.Shape[^1];
                int target = (int)Math.Round(Math.Sqrt(p.Shape[1] - 1));
                var source = new float[(1 + g * g) * d];
                TrainingCheckpointValidator.Read(file, name, source);
                source.AsSpan(0, d).CopyTo(slice[..d]);
                new BicubicResizePlan(g, target, (target + 0.1) / g).Forward(source.AsSpan(d), slice[d..], d);
                targetGrid = target;
                continue;
            }
            TrainingCheckpointValidator.Read(file, name, slice);
        }
        TrainingCheckpointValidator.ClearPadding(loaded, table, p => p.Part == ModelPart.Backbone);
        loaded.CopyTo(destination);
        return new PretrainedBackboneReport(
            trainingCheckpoint ? "the teacher of a training checkpoint" : "a backbone",
            backbone.Count, ignored, sourceGrid is int from && targetGrid is int to ? (from, to) : null);
    }

    /// <summary>The source grid side when both shapes are [1, 1 + side², D] with the same D and square grids.</summary>
    private static int? ResizableGrid(IReadOnlyList<int> file, IReadOnlyList<int> model)
    {
        if (file.Count != 3 || model.Count != 3 || file[0] != 1 || file[2] != model[2]) return null;
        int patches = file[1] - 1;
        int side = (int)Math.Round(Math.Sqrt(patches));
        return patches > 0 && side * side == patches ? side : null;
    }

    private static string List(List<string> keys) =>
        string.Join(", ", keys.Take(ListedKeys)) + (keys.Count > ListedKeys ? string.Create(CultureInfo.InvariantCulture, $" and {keys.Count - ListedKeys} more") : "");
}
