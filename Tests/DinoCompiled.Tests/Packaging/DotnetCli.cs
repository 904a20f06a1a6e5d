using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> program that hosts these tests, as a user's shell would: without the MSBuild variables the test
/// runner's own build leaves in the environment, without build servers (a lingering MSBuild node or compiler server
/// would hold the output pipes open and keep files in the temporary folders), and with its own global packages folder.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The longest any one command may take; the package tests' whole run is well under it.</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    /// <summary>The <c>dotnet</c> executable, or null where there is none.</summary>
    private static readonly string? s_executable = Find();

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/> and returns its exit code
    /// and output (standard output, then standard error); <paramref name="packagesFolder"/>, when given, is its NUGET_PACKAGES.
    /// </summary>
    public static Task<(int Code, string Output)> Run(ITestOutputHelper log, string workingDirectory, string? packagesFolder, params string[] arguments)
    {
        // Fail, not skip, without one: CI must run these tests.
        Assert.True(s_executable is not null,
            $"No dotnet executable: the test host is {Environment.ProcessPath ?? "unknown"}, DOTNET_HOST_PATH is unset and PATH has none; the package tests need the .NET SDK.");
        return RunProgram(log, s_executable, workingDirectory, packagesFolder, arguments);
    }

    /// <summary>As <see cref="Run"/>, for another program (an installed tool), in the same environment.</summary>
    public static async Task<(int Code, string Output)> RunProgram(ITestOutputHelper log, string program, string workingDirectory, string? packagesFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The runner's build sets MSBuildSDKsPath, MSBuildExtensionsPath and the like; a user's shell has none of them.
        var inherited = new List<string>();
        foreach (string name in start.Environment.Keys)
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)) inherited.Add(name);
        foreach (var name in inherited) start.Environment.Remove(name);
        if (packagesFolder is not null) start.Environment["NUGET_PACKAGES"] = packagesFolder;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // An installed tool's launcher finds the runtime through DOTNET_ROOT where dotnet is not in its default place.
        if (s_executable is not null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(s_executable);

        string command = Path.GetFileName(program) + " " + string.Join(' ', arguments);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(s_timeout);
        if (!finished) process.Kill(entireProcessTree: true);
        string output = await stdout + await stderr;
        log.WriteLine($"$ {command}   (in {workingDirectory}; {clock.Elapsed.TotalSeconds:F1} s, exit {(finished ? process.ExitCode : -1)})");
        log.WriteLine(output);
        Assert.True(finished, $"{command} did not finish within {s_timeout.TotalMinutes} minutes:\n{output}");
        return (process.ExitCode, output);
    }

    /// <summary>As <see cref="Run"/>, failing the test with the command's output when it exits with an error.</summary>
    public static async Task<string> Succeed(ITestOutputHelper log, string workingDirectory, string? packagesFolder, params string[] arguments)
    {
        var (code, output) = await Run(log, workingDirectory, packagesFolder, arguments);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>The dotnet executable itself, links resolved: its folder is the installation DOTNET_ROOT must name (/usr/bin/dotnet is a link).</summary>
    private static string? Find()
    {
        string? found = FindOnHostOrPath();
        return found is null ? null : new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
    }

    private static string? FindOnHostOrPath()
    {
        // The test host normally runs under the dotnet muxer itself; otherwise the SDK names it in DOTNET_HOST_PATH.
        string? process = Environment.ProcessPath;
        if (process is not null && IsDotnet(process)) return process;
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "dotnet", "dotnet.exe" })
                if (File.Exists(Path.Combine(directory, name))) return Path.Combine(directory, name);
        return null;
    }

    private static bool IsDotnet(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
