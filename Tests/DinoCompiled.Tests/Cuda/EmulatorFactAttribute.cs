using System.IO;
using DinoCompiled.Tests.Infrastructure;
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
    public const string Python = NumpyFactAttribute.Python;

    private static readonly string? s_missing = Probe();

    public EmulatorFactAttribute() =>
        Skip = MachineRequirement.SkipReason(s_missing is null ? null : "needs the CUDA emulator's tools: " + s_missing, "DINO_REQUIRE_EMULATOR",
            "apt-get install g++ python3-numpy");

    private static string? Probe()
    {
        if (!MachineRequirement.Succeeds("g++", "--version")) return "g++ is not on PATH";
        if (!File.Exists(Python)) return Python + " does not exist";
        if (!MachineRequirement.Succeeds(Python, "-c", "import numpy")) return Python + " has no numpy";
        return null;
    }
}
