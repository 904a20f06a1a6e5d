using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// A fact that runs the CPU emulator of the generated CUDA (tools/cuda/emulate*.py): it needs g++ (C++20) and
/// /usr/bin/python3 with numpy, and is skipped with the missing piece named where they are absent. Setting
/// <c>DINO_REQUIRE_EMULATOR=1</c> turns the skip into a run (and so a failure), so a machine meant to run it cannot pass quietly.
/// </summary>
public sealed class EmulatorFactAttribute : FactAttribute
{
    /// <summary>The Python the emulator scripts are written for (Debian's, where python3-numpy installs).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly string? s_missing = Probe();

    public EmulatorFactAttribute()
    {
        if (s_missing is not null && Environment.GetEnvironmentVariable("DINO_REQUIRE_EMULATOR") != "1") Skip = "needs the CUDA emulator's tools: " + s_missing;
    }

    private static string? Probe()
    {
        if (!Succeeds("g++", "--version")) return "g++ is not on PATH";
        if (!File.Exists(Python)) return Python + " does not exist";
        if (!Succeeds(Python, "-c", "import numpy")) return Python + " has no numpy";
        return null;
    }

    private static bool Succeeds(string program, params string[] arguments)
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
