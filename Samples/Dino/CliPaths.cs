using System;
using System.IO;

namespace DinoCompiled.Cli;

/// <summary>
/// Checks a path option before a command starts work, so that a bad path is one line (<c>dino: --out: ...</c>) naming
/// the option, the path and the reason, never an exception after minutes of training. Writability is tested by really
/// creating a file: permission bits alone would not stop root, but a read-only or virtual file system (/proc) does.
/// </summary>
public static class CliPaths
{
    public static void Check(string option, string path, PathKind kind)
    {
        if (path.Length == 0) throw new CliException($"{option}: the path is empty");
        switch (kind)
        {
            case PathKind.InputFile: RequireInputFile(option, path); break;
            case PathKind.InputDirectory: RequireInputDirectory(option, path); break;
            case PathKind.OutputFile: RequireOutputFile(option, path); break;
            case PathKind.OutputDirectory: RequireOutputDirectory(option, path); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public static void RequireInputFile(string option, string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{option}: '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new CliException($"{option}: no file '{path}'");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot read '{path}': {Reason(e)}");
        }
    }

    public static void RequireInputDirectory(string option, string path)
    {
        if (File.Exists(path)) throw new CliException($"{option}: '{path}' is a file, not a directory");
        if (!Directory.Exists(path)) throw new CliException($"{option}: no directory '{path}'");
    }

    /// <summary>A file to be written (replaced atomically by the writers): its directory must exist and take a new file.</summary>
    public static void RequireOutputFile(string option, string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{option}: '{path}' is a directory, not a file");
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Path.GetPathRoot(Path.GetFullPath(path))!;
        if (File.Exists(directory)) throw new CliException($"{option}: cannot write '{path}': '{directory}' is a file, not a directory");
        if (!Directory.Exists(directory)) throw new CliException($"{option}: cannot write '{path}': no directory '{directory}'");
        ProbeWrite(option, directory, $"cannot write '{path}' in '{directory}'");
    }

    /// <summary>A directory that files go into: created (with its parents) when missing, then a file is written in it.</summary>
    public static void RequireOutputDirectory(string option, string path)
    {
        if (File.Exists(path)) throw new CliException($"{option}: '{path}' is a file, not a directory");
        if (!Directory.Exists(path))
        {
            // The first part of the path that exists decides: a file there means no directory can be made below it.
            for (var parent = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent)) throw new CliException($"{option}: cannot create the directory '{path}': '{parent}' is a file");
                if (Directory.Exists(parent)) break;
            }
            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{option}: cannot create the directory '{path}': the system refused ({Reason(e, path)})");
            }
        }
        ProbeWrite(option, path, $"cannot write in the directory '{path}'");
    }

    /// <summary>An output file inside an output directory (a run folder's checkpoint) must not be a directory.</summary>
    public static void RequireNotDirectory(string option, string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{option}: '{path}' is a directory, not a file; it would be written there");
    }

    private static void ProbeWrite(string option, string directory, string what)
    {
        string probe = Path.Combine(directory, ".dino-write-check-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            stream.WriteByte(0);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: {what}: a new file there was refused ({Reason(e, probe)})");
        }
    }

    /// <summary>The system's one-line reason, without the path it names (the message names it already, or it is the probe).</summary>
    private static string Reason(Exception e, string? path = null)
    {
        string message = e.Message.ReplaceLineEndings(" ").Trim();
        if (path is not null)
            message = message.Replace($" '{Path.GetFullPath(path)}'", "").Replace($" '{path}'", "");
        return message.TrimEnd('.', ' ');
    }
}
