using System;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// bf16 on the host for the GPU tests: the upper 16 bits of a float32, rounded to nearest, ties to even, from the
/// definition (truncate, then compare the dropped half with one half), NaN to 0x7fff as the cvt instruction gives.
/// </summary>
internal static class Bf16Bits
{
    public static ushort FromFloat(float value)
    {
        uint x = BitConverter.SingleToUInt32Bits(value);
        if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fff;
        uint kept = x >> 16, dropped = x & 0xffffu;
        if (dropped > 0x8000u || (dropped == 0x8000u && (kept & 1u) != 0)) kept++;
        return (ushort)kept;
    }

    public static float ToFloat(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Values that are exactly bf16 (so a bf16 operand holds them unrounded), uniform in [-1, 1).</summary>
    public static ushort[] Random(Random random, int count)
    {
        var values = new ushort[count];
        for (int i = 0; i < count; i++) values[i] = FromFloat((float)(random.NextDouble() * 2 - 1));
        return values;
    }
}
