using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// A fact that runs <c>mpirun</c>: skipped, naming the package, where Open MPI's launcher is missing, unless
/// <c>DINO_REQUIRE_MPI=1</c> (CI) makes it run and fail.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    private static readonly string? s_missing = MachineRequirement.Succeeds("mpirun", "--version") ? null : "mpirun (Open MPI) is not installed";

    public MpiFactAttribute() =>
        Skip = MachineRequirement.SkipReason(s_missing, "DINO_REQUIRE_MPI", "apt-get install openmpi-bin libopenmpi-dev");
}
