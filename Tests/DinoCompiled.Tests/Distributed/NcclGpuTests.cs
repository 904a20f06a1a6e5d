using DinoCompiled.Cuda;
using DinoCompiled.Models;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// The data-parallel GPU step through NCCL on one rank (the most a single GPU can run): every loss, weight, moment and
/// center value of three steps must be those of the single-GPU trainer, bit for bit (<see cref="CudaNcclCheck"/>, which
/// <c>dino gpu check</c> runs too). Without a GPU or NCCL it skips and says which.
/// </summary>
public sealed class NcclGpuTests
{
    [NcclGpuFact]
    public void ASingleRankStepThroughNcclIsTheSingleGpuStep()
    {
        using var device = CudaDevice.Open();
        foreach (var precision in new[] { CudaPrecision.Bf16, CudaPrecision.Fp32 })
        {
            var result = CudaNcclCheck.Run<FmnistTiny>(device, precision, batch: 4, localCrops: 2, steps: 3);
            Assert.True(result.Pass, $"{precision}: {result.FirstDifference}");
        }
    }
}
