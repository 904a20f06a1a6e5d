using System.IO;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// A fact that reads the full Fashion-MNIST of Debian's <c>dataset-fashion-mnist</c>: skipped, naming the package, where
/// it is not installed, unless <c>DINO_REQUIRE_FASHION_MNIST=1</c> (CI) makes it run and fail.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute() =>
        Skip = MachineRequirement.SkipReason(
            Directory.Exists(FashionMnist.InstalledDirectory) ? null : FashionMnist.InstalledDirectory + " is missing",
            "DINO_REQUIRE_FASHION_MNIST", "apt-get install dataset-fashion-mnist");
}
