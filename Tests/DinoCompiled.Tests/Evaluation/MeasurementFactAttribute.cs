using System;
using Xunit;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>A measurement rather than a check, too slow for CI: skipped, with the reason, unless DINO_PROBE_BENCH=1.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DINO_PROBE_BENCH") != "1") Skip = "a measurement: run it with DINO_PROBE_BENCH=1";
    }
}
