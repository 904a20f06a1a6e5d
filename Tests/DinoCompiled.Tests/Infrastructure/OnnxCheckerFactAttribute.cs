using System.IO;
using Xunit;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// A fact that checks an exported ONNX file with the onnx package's own checker, through Debian's Python
/// (<see cref="Python"/>): skipped, naming the package, where that Python or its onnx module is missing, unless
/// <c>DINO_REQUIRE_ONNX=1</c> (CI) makes it run and fail.
/// </summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    /// <summary>Debian's Python, where python3-onnx installs.</summary>
    public const string Python = NumpyFactAttribute.Python;

    private static readonly string? s_missing = Probe();

    public OnnxCheckerFactAttribute() =>
        Skip = MachineRequirement.SkipReason(s_missing, "DINO_REQUIRE_ONNX", "apt-get install python3-onnx");

    private static string? Probe()
    {
        if (!File.Exists(Python)) return Python + " does not exist";
        return MachineRequirement.Succeeds(Python, "-c", "import onnx") ? null : Python + " has no onnx module";
    }
}
