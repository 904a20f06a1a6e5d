using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DinoCompiled.Cli;

/// <summary>
/// The options of one command: <c>--name value</c> pairs and bare <c>--flag</c>s, checked against the command's
/// known names so that a typo is a one-line error, never silently ignored.
/// </summary>
public sealed class CommandOptions
{
    private readonly string _command;
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> _order = new();

    private CommandOptions(string command) => _command = command;

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="spec"/>, then checks every path option given (in the order
    /// given) by its kind, so that a bad path stops the command before it does any work.
    /// </summary>
    public static CommandOptions Parse(CommandSpec spec, string[] args)
    {
        var options = Parse(spec.Name, args, spec.Valued, spec.Flags);
        foreach (var (name, value) in options._order)
            if (spec.Paths.TryGetValue(name, out var kind)) CliPaths.Check(name, value, kind);
        return options;
    }

    /// <summary>Parses <paramref name="args"/>; <paramref name="valued"/> take a value, <paramref name="flags"/> do not.</summary>
    public static CommandOptions Parse(string command, string[] args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        var options = new CommandOptions(command);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (flags.Contains(arg)) { options._values[arg] = null; continue; }
            if (!valued.Contains(arg))
                throw new CliException($"{command}: unknown option '{arg}'; the options are: {string.Join(", ", valued.Concat(flags).OrderBy(o => o, StringComparer.Ordinal))}");
            if (i + 1 >= args.Length) throw new CliException($"{command}: option '{arg}' needs a value");
            options._values[arg] = args[++i];
            options._order.Add((arg, args[i]));
        }
        return options;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) && value is not null ? value : fallback ?? throw new CliException($"{_command}: option '{name}' is required");

    /// <summary>A non-negative finite number, or <paramref name="fallback"/> when the option is absent.</summary>
    public double Double(string name, double fallback)
    {
        if (!_values.TryGetValue(name, out var text) || text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
            throw new CliException($"{_command}: option '{name}' takes a non-negative number, not '{text}'");
        return value;
    }

    public int Int(string name, int fallback, int minimum = int.MinValue)
    {
        if (!_values.TryGetValue(name, out var text) || text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum)
            throw new CliException($"{_command}: option '{name}' takes a whole number{(minimum > int.MinValue ? " of at least " + minimum : "")}, not '{text}'");
        return value;
    }
}
