using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DinoCompiled.Cli;
using DinoCompiled.Tests.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// Every command of <see cref="DinoCli.Commands"/> with a bad path for each of its path options, derived from the
/// commands' own option definitions (a new path option is tried without touching this file), and the list of commands
/// held against the usage text so that a new command cannot miss it.
/// </summary>
public sealed class EveryPathOptionTests
{
    public static TheoryData<string, string> PathOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in DinoCli.Commands)
            foreach (var option in command.Paths.Keys)
                data.Add(command.Name, option);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathOptions))]
    public void ANonexistentPathIsOneLineNamingIt(string commandName, string option)
    {
        var command = DinoCli.Commands.Single(c => c.Name == commandName);
        using var directory = new TemporaryDirectory();
        string missing = directory.File("missing");
        string blocker = directory.File("a-file");
        File.WriteAllText(blocker, "");
        // An output directory that does not exist is created: the path that cannot exist is one below a file.
        var (path, expected) = command.Paths[option] switch
        {
            PathKind.InputFile => (missing, $"dino: {option}: no file '{missing}'"),
            PathKind.InputDirectory => (missing, $"dino: {option}: no directory '{missing}'"),
            PathKind.OutputFile => (Path.Combine(missing, "out"), $"dino: {option}: cannot write '{Path.Combine(missing, "out")}': no directory '{missing}'"),
            PathKind.OutputDirectory => (Path.Combine(blocker, "out"), $"dino: {option}: cannot create the directory '{Path.Combine(blocker, "out")}': '{blocker}' is a file"),
            var kind => throw new InvalidOperationException($"no bad path for {kind}"),
        };

        var (code, output, error) = CliRun.Dino([.. commandName.Split(' '), option, path]);

        Assert.Equal(expected + "\n", error);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal([blocker], Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void EveryCommandWithPathsIsWalked()
    {
        // The walk above must not be empty by accident: today's path options, at least.
        var walked = PathOptions().Select(row => $"{row[0]} {row[1]}").ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "train --data", "train --out", "train --resume", "eval knn --checkpoint", "eval knn --data",
            "features --checkpoint", "features --data", "features --out", "gpu check --json",
        }, walked);
    }

    [Fact]
    public void TheCommandListIsTheUsageTextsAndTheUsageNamesOnlyKnownOptions()
    {
        var output = new StringWriter();
        Assert.Equal(0, DinoCli.Run(["help"], output, new StringWriter()));
        var lines = output.ToString().Replace("\r\n", "\n").Split('\n').SkipWhile(l => l != "commands:").Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal));
        var usage = new Dictionary<string, string>();
        foreach (string line in lines)
        {
            // "  eval knn        weighted k-NN ...": the name is the lower-case words of the first column.
            string name = string.Join(' ', line[2..18].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.All(c => char.IsLower(c) || c == '-')));
            usage[name] = line[18..];
        }
        Assert.Equal(usage.Keys.Order(), DinoCli.Commands.Select(c => c.Name).Order());
        foreach (var command in DinoCli.Commands)
            foreach (Match option in Regex.Matches(usage[command.Name], @"--[a-z][a-z-]*"))
                Assert.True(command.Valued.Contains(option.Value) || command.Flags.Contains(option.Value),
                    $"the usage of '{command.Name}' names {option.Value}, which the command does not take");
    }

    [Fact]
    public void NoPlainOptionLooksLikeAPath()
    {
        // A path option declared as a plain one would skip the checks: its name gives it away.
        string[] pathWords = ["out", "data", "json", "checkpoint", "resume", "file", "dir", "path", "log", "save", "load"];
        foreach (var command in DinoCli.Commands)
            foreach (string option in command.Valued.Where(o => !command.Paths.ContainsKey(o)))
                Assert.False(option.TrimStart('-').Split('-').Any(pathWords.Contains),
                    $"{command.Name} {option} looks like a path; declare it in the command's paths so it is checked");
    }
}
