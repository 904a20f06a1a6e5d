namespace DinoCompiled.Cli;

/// <summary>What a path option names, and so how <see cref="CliPaths"/> checks it before a command starts work.</summary>
public enum PathKind
{
    /// <summary>A file the command reads: it must exist and be a readable file (a checkpoint).</summary>
    InputFile,

    /// <summary>A directory the command reads: it must exist and be a directory (a data set).</summary>
    InputDirectory,

    /// <summary>A file the command writes: not a directory, in an existing directory the command can write in.</summary>
    OutputFile,

    /// <summary>A directory the command writes into: created if missing, and one the command can write in.</summary>
    OutputDirectory,
}
