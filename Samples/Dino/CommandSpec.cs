using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Cli;

/// <summary>
/// The options a command accepts: plain valued options, path options (valued, and checked by kind before the command
/// does any work) and bare flags. <see cref="DinoCli.Commands"/> lists every command's spec, so tests can walk them.
/// </summary>
public sealed class CommandSpec
{
    public CommandSpec(string name, IReadOnlyList<string> valued, IReadOnlyList<string> flags, IReadOnlyDictionary<string, PathKind>? paths = null)
    {
        Name = name;
        Paths = paths ?? new Dictionary<string, PathKind>();
        var overlap = valued.Intersect(Paths.Keys).ToList();
        if (overlap.Count > 0)
            throw new ArgumentException($"{name}: {string.Join(", ", overlap)} listed both as plain and as path options", nameof(paths));
        Valued = valued.Concat(Paths.Keys).ToArray();
        Flags = flags;
    }

    /// <summary>The command as typed: <c>train</c>, <c>eval knn</c>.</summary>
    public string Name { get; }

    /// <summary>Every option that takes a value, path options included.</summary>
    public IReadOnlyList<string> Valued { get; }

    /// <summary>Options without a value.</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>The options that name a file or directory, and what they must name.</summary>
    public IReadOnlyDictionary<string, PathKind> Paths { get; }
}
