using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;

namespace DinoCompiled.Cli;

/// <summary>
/// The <c>dino</c> commands as a System.CommandLine tree, built from <see cref="DinoCli.Commands"/> and
/// <see cref="CommandHelp"/>: it gives <c>--help</c>/<c>-h</c> on every command, response files (<c>@args.rsp</c>),
/// the <c>[suggest]</c> completion directive (shell completion through dotnet-suggest) and the parse that finds
/// misspelt options and commands. The commands themselves still read their arguments through
/// <see cref="CommandOptions"/>, whose one-line errors and path checks stay as they are.
/// </summary>
public static class CommandLineTree
{
    /// <summary>The root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("dino: train DINO self-supervised vision models compiled by DinoCompiled, and look at what they learned.");
        foreach (var spec in DinoCli.Commands)
        {
            var command = Find(root, spec.Name);
            foreach (string option in spec.Valued)
                command.Options.Add(new Option<string>(option) { Description = CommandHelp.For(spec.Name, option), HelpName = HelpName(spec, option) });
            foreach (string flag in spec.Flags)
                command.Options.Add(new Option<bool>(flag) { Description = CommandHelp.For(spec.Name, flag) });
            if (spec.Name == "inspect")
                command.Arguments.Add(new Argument<string[]>("MODEL") { Description = "The model ('dino models' lists them).", Arity = ArgumentArity.ZeroOrMore });
        }
        return root;
    }

    /// <summary>The command of a spec's name (<c>eval knn</c>), made with its parents when missing.</summary>
    private static Command Find(Command root, string name)
    {
        Command current = root;
        string path = "";
        foreach (string word in name.Split(' '))
        {
            path = path.Length == 0 ? word : path + " " + word;
            var next = current.Subcommands.FirstOrDefault(c => c.Name == word);
            if (next is null)
            {
                next = new Command(word, CommandHelp.Commands.TryGetValue(path, out var help) ? help : throw new InvalidOperationException($"'{path}' has no help line"));
                current.Subcommands.Add(next);
            }
            current = next;
        }
        return current;
    }

    private static string HelpName(CommandSpec spec, string option) =>
        spec.Paths.TryGetValue(option, out var kind) ? kind is PathKind.InputDirectory or PathKind.OutputDirectory ? "DIR" : "FILE" : "VALUE";

    /// <summary>The closest of <paramref name="candidates"/> to a misspelt <paramref name="word"/>, or null when none is close.</summary>
    public static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            // A prefix (--epoch for --epochs) is as close as one edit.
            int distance = candidate.StartsWith(word, StringComparison.Ordinal) && word.Length >= 3 ? 1 : Distance(word, candidate);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
