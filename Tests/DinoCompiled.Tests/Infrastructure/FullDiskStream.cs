using System;
using System.IO;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// A file stream on a disk that fills up: the file at the path is really created and written, until
/// <see cref="Capacity"/> bytes are in it; the write that would pass that fails as Linux's ENOSPC does in .NET
/// (an <see cref="IOException"/> "No space left on device : 'path'"), leaving the bytes that fitted.
/// </summary>
internal sealed class FullDiskStream : Stream
{
    private readonly FileStream _file;
    private readonly string _path;

    public FullDiskStream(string path, long capacity)
    {
        _path = path;
        Capacity = capacity;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
    }

    public long Capacity { get; }

    /// <summary>Whether a write has failed (so a test knows the failure was reached, not avoided).</summary>
    public bool Failed { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long room = Capacity - _file.Position;
        if (buffer.Length > room)
        {
            _file.Write(buffer[..(int)Math.Max(0, room)]);
            Failed = true;
            throw new IOException($"No space left on device : '{_path}'");
        }
        _file.Write(buffer);
    }

    public override void Flush() => _file.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }
}
