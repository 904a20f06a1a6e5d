using System.Diagnostics;
using DinoCompiled.Models;
using DinoCompiled.Onnx;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Onnx;

/// <summary>
/// The onnx package's checker accepts the exported files, with <c>full_check</c> (strict shape inference through every
/// node, so a wrong attribute or shape constant fails here even where ONNX Runtime would be lenient).
/// </summary>
public sealed class OnnxCheckerTests
{
    private const string Check = "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')";

    [OnnxCheckerFact]
    public void TheClsExportPassesTheOnnxChecker() => AssertChecks(new OnnxExportOptions());

    [OnnxCheckerFact]
    public void TheAllTokenExportAtAResizedCropPassesTheOnnxChecker() =>
        AssertChecks(new OnnxExportOptions { Tokens = OnnxTokenOutput.All, Crop = 16 });

    private static void AssertChecks(OnnxExportOptions options)
    {
        var model = FmnistTiny.Description;
        using var folder = new TemporaryDirectory();
        using var parameters = OnnxExportFixture.Parameters(model, seed: 5);
        string path = OnnxExportFixture.Export(folder, model, parameters, options);

        var start = new ProcessStartInfo(OnnxCheckerFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Check);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "onnx.checker did not finish within 60 s.");
        Assert.True(process.ExitCode == 0, "onnx.checker rejected the model:\n" + stderr);
        Assert.Equal("ok", stdout.Trim());
    }
}
