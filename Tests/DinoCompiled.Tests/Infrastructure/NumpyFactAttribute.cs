using System.IO;
using Xunit;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// A fact that checks a file format against numpy itself, through Debian's Python (<see cref="Python"/>): skipped, naming
/// the package, where that Python or its numpy is missing, unless <c>DINO_REQUIRE_NUMPY=1</c> (CI) makes it run and fail.
/// </summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    /// <summary>Debian's Python, where python3-numpy installs (not a pyenv or venv one first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly string? s_missing = Probe();

    public NumpyFactAttribute() =>
        Skip = MachineRequirement.SkipReason(s_missing, "DINO_REQUIRE_NUMPY", "apt-get install python3-numpy");

    private static string? Probe()
    {
        if (!File.Exists(Python)) return Python + " does not exist";
        return MachineRequirement.Succeeds(Python, "-c", "import numpy") ? null : Python + " has no numpy";
    }
}
