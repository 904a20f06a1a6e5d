using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using DinoCompiled.Checkpoints;

namespace DinoCompiled.Retrieval;

/// <summary>
/// The teacher features of a gallery kept in a safetensors file (tensor <c>features</c> [images, D], the file list in
/// the metadata) under a key: a SHA-256 over the checkpoint's bytes, the crop, the normalization, and every gallery
/// file's path, size and last write time. A cache whose key differs (another checkpoint, a file added, changed or
/// removed) is recomputed and replaced, atomically; an unreadable cache is treated as absent.
/// </summary>
public static class GalleryFeatureCache
{
    private const string KeyMetadata = "dino_gallery_key", FilesMetadata = "dino_gallery_files", Tensor = "features";

    /// <summary>The cache key of a gallery for a checkpoint and preprocessing.</summary>
    public static string Key(string checkpoint, IReadOnlyList<string> files, string preprocessing)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = File.OpenRead(checkpoint))
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        var text = new StringBuilder(preprocessing).Append('\n');
        foreach (string file in files)
        {
            var info = new FileInfo(file);
            text.Append(Path.GetFullPath(file)).Append('\t').Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The cached features when <paramref name="path"/> holds them under <paramref name="key"/> with width <paramref name="dim"/>; else null.</summary>
    public static float[]? TryLoad(string path, string key, int count, int dim)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = SafetensorsFile.Open(path);
            if (!file.Metadata.TryGetValue(KeyMetadata, out var stored) || stored != key || !file.Contains(Tensor)) return null;
            var shape = file.TensorInfo(Tensor).Shape;
            if (shape.Length != 2 || shape[0] != count || shape[1] != dim) return null;
            return file.ReadFloat32(Tensor);
        }
        catch (Exception e) when (e is IOException or SafetensorsFormatException or CheckpointException)
        {
            return null;
        }
    }

    /// <summary>Writes the features [files, dim] under <paramref name="key"/>, atomically.</summary>
    public static void Save(string path, string key, IReadOnlyList<string> files, float[] features, int dim)
    {
        new SafetensorsWriter()
            .AddFloat32(Tensor, features, files.Count, dim)
            .SetMetadata(KeyMetadata, key)
            .SetMetadata(FilesMetadata, string.Join("\n", files))
            .Write(path);
    }
}
