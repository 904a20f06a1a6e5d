using System;
using System.IO;
using System.Runtime.InteropServices;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// A float32 <c>.npy</c> file of a known shape written piece by piece (features of a whole dataset need not fit in one
/// array): the data goes to a temporary file beside the path, and <see cref="Commit"/> flushes it to disk and renames it
/// over the path once every element has come, so a failure or an abandoned writer leaves a previous file as it was.
/// </summary>
public sealed class NpyFileWriter : IDisposable
{
    private const int ChunkFloats = 1 << 18;

    private readonly string _path, _temporaryPath;
    private readonly long _expected;
    private FileStream? _stream;
    private long _written;

    /// <summary>Starts <paramref name="path"/> as an array of <paramref name="shape"/>.</summary>
    /// <exception cref="IOException">The temporary file could not be created; the message names the path.</exception>
    public NpyFileWriter(string path, ReadOnlySpan<long> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The .npy data is written as '<f4' (little-endian); this writer supports little-endian machines only.");
        byte[] header = NpyWriter.Header(shape);
        _expected = 1;
        foreach (long dim in shape) _expected = checked(_expected * dim);
        _path = path;
        _temporaryPath = path + ".tmp";
        Guard(() =>
        {
            _stream = new FileStream(_temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            _stream.Write(header);
        });
    }

    /// <summary>Appends the next elements in C order.</summary>
    public void Append(ReadOnlySpan<float> data)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{_path}: the file is already committed or abandoned.");
        if (_written + data.Length > _expected)
            throw new ArgumentException($"{_path}: {_written + data.Length} floats are more than the {_expected} of the array's shape.", nameof(data));
        try
        {
            for (int start = 0; start < data.Length; start += ChunkFloats)
                stream.Write(MemoryMarshal.AsBytes(data.Slice(start, Math.Min(ChunkFloats, data.Length - start))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(e);
        }
        _written += data.Length;
    }

    /// <summary>Puts the whole file in place of the path; every element of the shape must have been appended.</summary>
    public void Commit()
    {
        var stream = _stream ?? throw new InvalidOperationException($"{_path}: the file is already committed or abandoned.");
        if (_written != _expected)
            throw new InvalidOperationException($"{_path}: {_written} of the {_expected} floats of the array's shape were written.");
        Guard(() =>
        {
            // On disk before the rename: after a crash the path holds the old file or the whole new one.
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            _stream = null;
            File.Move(_temporaryPath, _path, overwrite: true);
        });
    }

    /// <summary>Abandons an uncommitted file: the temporary file goes, the path keeps what it had.</summary>
    public void Dispose()
    {
        if (_stream is null) return;
        _stream.Dispose();
        _stream = null;
        TryDelete(_temporaryPath);
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(e);
        }
    }

    private IOException Failed(Exception e)
    {
        _stream?.Dispose();
        _stream = null;
        TryDelete(_temporaryPath);
        return new IOException($"{_path}: the features could not be written (a previous file there is kept): {e.Message.ReplaceLineEndings(" ")}", e);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed; that error is the one to report.
        }
    }
}
