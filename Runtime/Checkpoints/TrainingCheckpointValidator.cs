// Shared by TrainingCheckpoint and BackboneExport: everything is checked before a single float is written into the
// caller's buffers, so a bad file never leaves a half-loaded model behind, and the first problem is reported as one
// line naming the file and the key.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DinoCompiled.Checkpoints;

/// <summary>Opens checkpoints and compares what they hold with what a model expects.</summary>
internal static class TrainingCheckpointValidator
{
    /// <summary>Opens <paramref name="path"/>, turning every way that can fail into one <see cref="CheckpointException"/>.</summary>
    public static SafetensorsFile Open(string path)
    {
        try
        {
            return SafetensorsFile.Open(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(path, e.Problem, null, e);
        }
        catch (FileNotFoundException e)
        {
            throw new CheckpointException(path, "the file does not exist", null, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CheckpointException(path, "the folder does not exist", null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckpointException(path, "the file cannot be read (permission denied)", null, e);
        }
        catch (IOException e)
        {
            throw new CheckpointException(path, "the file cannot be read: " + OneLine(e.Message), null, e);
        }
    }

    /// <summary>
    /// Checks that every expected tensor is present with its dtype and shape, in the order given, and that the file
    /// holds nothing else. <paramref name="acceptConvertedFloats"/> lets F64, F16 and BF16 stand for F32 (released
    /// weights); a training checkpoint needs F32 itself, or the resumed run would not be the saved one.
    /// </summary>
    public static void CheckTensors(SafetensorsFile file, IReadOnlyList<TrainingExpectedTensor> expected, string modelName, bool acceptConvertedFloats)
    {
        foreach (var want in expected)
        {
            if (!file.Contains(want.Key))
                throw Fail(file, want.Key, $"{want.Key} is missing; {modelName} has it with shape {want.ShapeText}{MissingHint(file, want.Key)}");
            var have = file.TensorInfo(want.Key);

            bool shapeMatches = want.AnyLength ? have.Shape.Length == 1 : have.Shape.SequenceEqual(want.Shape);
            if (!shapeMatches)
                throw Fail(file, want.Key, $"{want.Key} has shape {have.ShapeText} in the file but {want.ShapeText} in {modelName}");

            bool dtypeMatches = have.DType == want.DType
                || (acceptConvertedFloats && want.DType == SafetensorsDType.F32 && have.DType.IsFloatingPoint());
            if (!dtypeMatches)
            {
                string needed = want.DType == SafetensorsDType.F32 && !acceptConvertedFloats ? "F32 (an exact resume needs the saved floats)" : want.DType.HeaderName();
                throw Fail(file, want.Key, $"{want.Key} is {have.DType.HeaderName()} in the file but {modelName} needs {needed}");
            }
        }

        var known = new HashSet<string>(expected.Select(t => t.Key), StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            if (!known.Contains(tensor.Name))
                throw Fail(file, tensor.Name, $"{tensor.Name} (shape {tensor.ShapeText}) is in the file but {modelName} has no such tensor");
        }
    }

    /// <summary>Checks that the file's <c>model</c> metadata names <paramref name="modelName"/>.</summary>
    public static void CheckModelName(SafetensorsFile file, string metadataKey, string modelName)
    {
        if (!file.Metadata.TryGetValue(metadataKey, out string? saved))
            throw new CheckpointException(file.Path, $"the file names no model (no '{metadataKey}' in its __metadata__); it was not saved by TrainingCheckpoint");
        if (!string.Equals(saved, modelName, StringComparison.Ordinal))
            throw new CheckpointException(file.Path, $"the checkpoint was saved from model '{saved}', not '{modelName}'");
    }

    /// <summary>Reads a float tensor into <paramref name="destination"/>; a file that changed since it was opened fails with one line.</summary>
    public static void Read(SafetensorsFile file, string key, Span<float> destination)
    {
        try
        {
            file.CopyTo(key, destination);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(file.Path, e.Problem, key, e);
        }
        catch (IOException e)
        {
            throw new CheckpointException(file.Path, $"reading {key} failed: {OneLine(e.Message)}", key, e);
        }
    }

    /// <summary>Runs a small read (I64, U8) with the same error handling as <see cref="Read"/>.</summary>
    public static T Read<T>(SafetensorsFile file, string key, Func<string, T> read)
    {
        try
        {
            return read(key);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(file.Path, e.Problem, key, e);
        }
        catch (IOException e)
        {
            throw new CheckpointException(file.Path, $"reading {key} failed: {OneLine(e.Message)}", key, e);
        }
    }

    /// <summary>Zeroes the floats that belong to no tensor, so padding stays zero whatever the buffer held before.</summary>
    public static void ClearPadding(Span<float> flat, ParameterTable table, Func<ParameterInfo, bool> owned)
    {
        long end = 0;
        foreach (var p in table)
        {
            if (owned(p)) flat.Slice((int)end, (int)(p.Offset - end)).Clear();
            end = p.Offset + p.Count;
        }
        if (table.Count > 0 && owned(table[table.Count - 1])) flat.Slice((int)end).Clear();
    }

    /// <summary>A one-line message for a tensor that does not match.</summary>
    public static CheckpointException Fail(SafetensorsFile file, string key, string problem) => new(file.Path, problem, key);

    // The two formats are easy to mix up: a backbone export has plain keys, a training checkpoint prefixed ones.
    private static string MissingHint(SafetensorsFile file, string key)
    {
        foreach (string prefix in new[] { TrainingCheckpoint.StudentBackbonePrefix, TrainingCheckpoint.TeacherBackbonePrefix })
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && file.Contains(key.Substring(prefix.Length)))
                return " (the file has plain backbone keys: it looks like a backbone export; load it with BackboneExport.Load)";
            if (file.Contains(prefix + key))
                return " (the file has prefixed keys: it looks like a training checkpoint; load it with TrainingCheckpoint.Load or TrainingCheckpoint.LoadParameters)";
        }
        return "";
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
