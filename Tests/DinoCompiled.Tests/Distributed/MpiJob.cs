using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// Runs the built <c>dino</c> program under <c>mpirun</c>, as a user of a cluster does (<c>mpirun -np N dino train ...</c>),
/// with the settings a container needs: shared memory and self transports only (no network probing), no single-copy
/// mechanism (containers forbid ptrace-based CMA), oversubscription allowed (more ranks than cores), and running as
/// root allowed. Each job is tagged with an environment variable so a test can find (and kill) one of its ranks.
/// </summary>
internal sealed class MpiJob : IDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Tasks.Task<string> _output, _error;

    public MpiJob(string workingDirectory, params string[][] ranks)
    {
        Tag = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("mpirun") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in Settings) start.Environment[name] = value;
        start.Environment["DINO_TEST_JOB"] = Tag;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        // One "-np 1 dotnet dino.dll ARGS" app context per rank (MPMD), separated by ':', so a test can give one rank other arguments.
        for (int r = 0; r < ranks.Length; r++)
        {
            if (r > 0) start.ArgumentList.Add(":");
            foreach (string argument in new[] { "-np", "1", "-x", "DINO_TEST_JOB", dotnet, DinoAssembly }.Concat(ranks[r])) start.ArgumentList.Add(argument);
        }
        Started = Stopwatch.StartNew();
        _process = Process.Start(start)!;
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The settings every mpirun of the tests gets (docs/DISTRIBUTED.md gives the same to users in containers).</summary>
    public static readonly (string Name, string Value)[] Settings =
    [
        ("OMPI_MCA_btl", "self,vader"), ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"), ("OMPI_MCA_rmaps_base_oversubscribe", "1"),
        ("OMPI_ALLOW_RUN_AS_ROOT", "1"), ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
    ];

    /// <summary>The value of DINO_TEST_JOB in this job's ranks.</summary>
    public string Tag { get; }

    public Stopwatch Started { get; }

    /// <summary>The dino program beside this test assembly's configuration (Release or Debug).</summary>
    public static string DinoAssembly
    {
        get
        {
            string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            string path = Path.Combine(RepositoryPaths.Root, "Samples", "Dino", "bin", configuration, "net10.0", "dino.dll");
            Assert.True(File.Exists(path), $"{path} is missing: the test project builds Samples/Dino first");
            return path;
        }
    }

    /// <summary>Runs the same arguments on <paramref name="ranks"/> ranks to the end.</summary>
    public static (int Code, string Output, string Error) Run(string workingDirectory, int ranks, string[] arguments, TimeSpan? timeout = null)
    {
        using var job = new MpiJob(workingDirectory, Enumerable.Repeat(arguments, ranks).ToArray());
        return job.Wait(timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>Waits for the job's end; a job still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public (int Code, string Output, string Error) Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"mpirun did not end within {timeout.TotalSeconds:F0} s:\n{_error.Result}");
        }
        return (_process.ExitCode, _output.Result.Replace("\r\n", "\n"), _error.Result.Replace("\r\n", "\n"));
    }

    /// <summary>The process id of this job's rank <paramref name="rank"/>, read from /proc (Open MPI sets OMPI_COMM_WORLD_RANK in each rank).</summary>
    public int? RankProcess(int rank)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid)) continue;
            string environment;
            try
            {
                environment = File.ReadAllText(Path.Combine(directory, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var variables = new HashSet<string>(environment.Split('\0'));
            if (variables.Contains("DINO_TEST_JOB=" + Tag) && variables.Contains("OMPI_COMM_WORLD_RANK=" + rank)) return pid;
        }
        return null;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 100 ms; false after <paramref name="timeout"/> or once the job ended.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            Thread.Sleep(100);
        }
        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
