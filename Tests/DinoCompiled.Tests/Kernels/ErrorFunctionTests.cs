// The float erf/erfc against the float64 reference (itself checked against published
// values), over the whole useful range. erf must be within 2e-7 relative (about 2 ulp:
// the series is evaluated in float); erfc within 4e-7 relative everywhere it is a normal
// float: the fit itself is good to 1.2e-7 and its float evaluation adds about 2.5e-7
// (rounding in the Horner sum, whose intermediate terms exceed the result).
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class ErrorFunctionTests
{
    [Theory]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817152)]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047265)]
    [InlineData(3.0, 0.9999779095030014, 2.2090496998585438e-05)]
    [InlineData(4.0, 0.9999999845827421, 1.541725790028002e-08)]
    [InlineData(5.0, 0.9999999999984626, 1.5374597944280351e-12)]
    public void ReferenceMatchesPublishedValues(double x, double erf, double erfc)
    {
        Assert.InRange(Math.Abs(ReferenceMath.Erf(x) - erf), 0, 1e-15);
        Assert.InRange(Math.Abs(ReferenceMath.Erf(-x) + erf), 0, 1e-15);
        Assert.InRange(Math.Abs(ReferenceMath.Erfc(x) / erfc - 1), 0, 1e-12);
    }

    [Fact]
    public void ErfIsAccurateToTwoUlp()
    {
        double worst = 0;
        for (int i = -60000; i <= 60000; i++)
        {
            float x = i * 1e-4f;
            double reference = ReferenceMath.Erf(x);
            if (reference == 0) continue;
            worst = Math.Max(worst, Math.Abs(ErrorFunction.Erf(x) - reference) / Math.Abs(reference));
        }

        Assert.InRange(worst, 0, 2e-7);
    }

    [Fact]
    public void ErfcIsRelativelyAccurateInTheTail()
    {
        double worst = 0;
        for (int i = -30000; i <= 90000; i++)
        {
            float x = i * 1e-4f;
            double reference = ReferenceMath.Erfc(x);
            worst = Math.Max(worst, Math.Abs(ErrorFunction.Erfc(x) - reference) / reference);
        }

        Assert.InRange(worst, 0, 4e-7);
    }

    [Fact]
    public void NaNPropagates()
    {
        Assert.True(float.IsNaN(ErrorFunction.Erf(float.NaN)));
        Assert.True(float.IsNaN(ErrorFunction.Erfc(float.NaN)));
    }

    [Fact]
    public void SaturatesOutsideTheFloatRange()
    {
        Assert.Equal(1f, ErrorFunction.Erf(10f));
        Assert.Equal(-1f, ErrorFunction.Erf(-10f));
        Assert.Equal(0f, ErrorFunction.Erfc(12f));
        Assert.Equal(2f, ErrorFunction.Erfc(-12f));
    }
}
