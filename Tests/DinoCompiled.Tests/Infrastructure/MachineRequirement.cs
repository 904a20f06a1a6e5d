using System;
using System.Diagnostics;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// What a test needs from the machine beyond the .NET SDK (a Debian package, a program), and the rule for its absence:
/// the test is skipped with the missing piece and the package that provides it named, unless the environment variable
/// that requires it is 1 (CI sets them), in which case it runs and fails: a machine meant to run it cannot pass quietly.
/// </summary>
public static class MachineRequirement
{
    /// <summary>
    /// The skip reason for a test whose requirement is <paramref name="missing"/> (null when it is met), or null when the
    /// test must run: met, or required through <paramref name="requireVariable"/>.
    /// </summary>
    public static string? SkipReason(string? missing, string requireVariable, string install)
    {
        if (missing is null || Environment.GetEnvironmentVariable(requireVariable) == "1") return null;
        return missing + " (" + install + "; " + requireVariable + "=1 makes this a failure instead of a skip)";
    }

    /// <summary>Whether <paramref name="program"/> runs and exits 0 within 30 s; false when it is not installed.</summary>
    public static bool Succeeds(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(30_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
