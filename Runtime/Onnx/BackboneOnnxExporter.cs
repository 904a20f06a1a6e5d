using System;
using System.Globalization;
using System.IO;

namespace DinoCompiled.Onnx;

/// <summary>
/// Writes the ViT backbone of a compiled model, with a flat parameter buffer (a trained teacher's), as a standard ONNX
/// model: input <c>images</c> float32 [batch, C, crop, crop], output <c>features</c> (see <see cref="OnnxTokenOutput"/>).
/// The graph computes what the compiled forward computes; docs/ONNX.md lists its nodes and how it is checked.
/// </summary>
public static class BackboneOnnxExporter
{
    /// <summary>
    /// Writes the model atomically: to <c>path + ".tmp"</c> in the same directory, flushed to disk, then renamed over
    /// <paramref name="path"/>; on failure the temporary file is deleted and a previous file is left as it was.
    /// </summary>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="description">The model (<c>TModel.Description</c>).</param>
    /// <param name="parameters">The flat parameter buffer in the description's layout, <c>Parameters.FlatLength</c> floats.</param>
    /// <param name="options">Crop, token output and opset; null for the defaults.</param>
    /// <exception cref="ArgumentException">The crop is not a positive multiple of the patch size, the buffer has the wrong length, or the opset is below 17.</exception>
    public static void Write(string path, ModelDescription description, ReadOnlySpan<float> parameters, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(description);
        options ??= new OnnxExportOptions();
        int crop = Validate(description, parameters, options);

        string temporaryPath = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                WriteTo(stream, description, parameters, options, crop);
                // On disk before the rename: after a crash the path holds either the old file or the whole new one.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporaryPath);
            }
            catch (IOException)
            {
                // The original exception is the one worth reporting.
            }
            catch (UnauthorizedAccessException)
            {
            }

            throw;
        }
    }

    /// <summary>Writes the model's bytes to <paramref name="stream"/> (not atomic; <see cref="Write"/> is).</summary>
    /// <exception cref="ArgumentException">As <see cref="Write"/>.</exception>
    public static void WriteTo(Stream stream, ModelDescription description, ReadOnlySpan<float> parameters, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(description);
        options ??= new OnnxExportOptions();
        WriteTo(stream, description, parameters, options, Validate(description, parameters, options));
    }

    /// <summary>The crop the options ask for, after every argument check.</summary>
    private static int Validate(ModelDescription description, ReadOnlySpan<float> parameters, OnnxExportOptions options)
    {
        var a = description.Architecture;
        int crop = options.Crop ?? a.GlobalCrop;
        if (crop < a.Patch || crop % a.Patch != 0)
            throw new ArgumentException($"Crop {crop} is not a positive multiple of {description.Name}'s patch size {a.Patch}.", nameof(options));
        if (parameters.Length != description.Parameters.FlatLength)
            throw new ArgumentException($"The parameter buffer has {parameters.Length} floats; {description.Name} needs {description.Parameters.FlatLength} (its flat parameter table).", nameof(parameters));
        if (options.Opset < OnnxExportOptions.MinimumOpset)
            throw new ArgumentException($"Opset {options.Opset} is too old: the graph needs at least {OnnxExportOptions.MinimumOpset} (LayerNormalization).", nameof(options));
        if (!Enum.IsDefined(options.Tokens))
            throw new ArgumentException($"Unknown token output {options.Tokens}.", nameof(options));
        return crop;
    }

    private static void WriteTo(Stream stream, ModelDescription description, ReadOnlySpan<float> parameters, OnnxExportOptions options, int crop)
    {
        var graph = BackboneOnnxGraphBuilder.Build(description, parameters, crop, options.Tokens);
        var a = description.Architecture;
        string output = options.Tokens == OnnxTokenOutput.Cls
            ? "[batch, " + a.EmbedDim + "] (the CLS token)"
            : "[batch, " + (1 + (crop / a.Patch) * (crop / a.Patch)) + ", " + a.EmbedDim + "] (every token, CLS first)";
        string doc = string.Create(CultureInfo.InvariantCulture,
            $"ViT backbone of {description.Name}: images [batch, {a.Channels}, {crop}, {crop}] -> features {output}, after the final LayerNorm.");
        OnnxModelWriter.Write(stream, graph, options.Opset, doc);
    }
}
