// Horizontal maxima, which System.Runtime.Intrinsics does not provide.
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static class VectorExtensions
{
    public static float MaxAcross(this Vector256<float> v)
    {
        Vector128<float> m = Vector128.Max(v.GetLower(), v.GetUpper());
        return MathF.Max(MathF.Max(m.GetElement(0), m.GetElement(1)), MathF.Max(m.GetElement(2), m.GetElement(3)));
    }
}
