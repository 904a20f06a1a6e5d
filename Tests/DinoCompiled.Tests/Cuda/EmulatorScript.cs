using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using DinoCompiled.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda;

/// <summary>Runs one of the CUDA emulator's check scripts (tools/cuda/emulate*.py) and fails with its failing lines.</summary>
internal static class EmulatorScript
{
    public static async Task AssertPasses(ITestOutputHelper log, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(EmulatorFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tools", "cuda", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        string command = "tools/cuda/" + script + (arguments.Length > 0 ? " " + string.Join(' ', arguments) : "");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(600_000);
        if (!finished) process.Kill(entireProcessTree: true);
        string output = await stdout, errors = await stderr;
        log.WriteLine(output);
        if (errors.Length > 0) log.WriteLine(errors);
        Assert.True(finished, command + " did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, command + " failed:\n" + Failures(output) + errors);
        Assert.Contains("all checks passed", output, System.StringComparison.Ordinal);
    }

    private static string Failures(string output)
    {
        var lines = new System.Text.StringBuilder();
        foreach (var line in output.Split('\n'))
            if (line.Contains("FAIL", System.StringComparison.Ordinal)) lines.Append(line).Append('\n');
        return lines.ToString();
    }
}
