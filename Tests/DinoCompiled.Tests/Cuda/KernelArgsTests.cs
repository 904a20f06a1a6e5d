using System;
using System.Runtime.InteropServices;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>The launch arguments are packed exactly as cuLaunchKernel reads them: one 8-byte slot each.</summary>
public sealed unsafe class KernelArgsTests
{
    [Fact]
    public void EachKindFillsItsSlotFromTheLowBytes()
    {
        var args = new KernelArgs()
            .Ptr(new Ptr((float*)0x0000_7F12_3456_7890))
            .Int(-1)
            .Long(-2)
            .Float(1.5f)
            .Int(0x01020304);

        Assert.Equal(5, args.Count);
        Assert.Equal(0x0000_7F12_3456_7890UL, args[0]);
        Assert.Equal(0x0000_0000_FFFF_FFFFUL, args[1]); // an int leaves the high half zero, not sign-extended
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFEUL, args[2]);
        Assert.Equal(0x3FC0_0000UL, args[3]);
        Assert.Equal(0x0102_0304UL, args[4]);
    }

    [Fact]
    public void AFourByteParameterReadsBackFromTheSlotsFirstBytes()
    {
        // The driver copies sizeof(param) bytes from the slot's address: the slot's first 4 bytes must be the value.
        var args = new KernelArgs().Int(0x01020304).Float(-0.25f);
        Span<ulong> slots = stackalloc ulong[2];
        args.CopyTo(slots);
        var bytes = MemoryMarshal.AsBytes(slots);

        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0 }, bytes[..8].ToArray());
        Assert.Equal(-0.25f, BitConverter.ToSingle(bytes.Slice(8, 4)));
    }

    [Fact]
    public void BuildingIsByValue()
    {
        var first = new KernelArgs().Int(7);
        var second = first.Int(8);
        Assert.Equal(1, first.Count);
        Assert.Equal(2, second.Count);
    }

    [Fact]
    public void CopyToWritesOnlyThePackedSlots()
    {
        var args = new KernelArgs().Long(11).Long(22);
        ulong[] destination = [99, 99, 99];
        args.CopyTo(destination);
        Assert.Equal(new ulong[] { 11, 22, 99 }, destination);
    }

    [Fact]
    public void CopyToATooSmallDestinationThrows()
    {
        var args = new KernelArgs().Long(1).Long(2);
        var e = Assert.Throws<ArgumentException>(() => args.CopyTo(new ulong[1]));
        Assert.Contains("The launch has 2 parameters; the destination holds 1.", e.Message);
    }

    [Fact]
    public void MoreThanCapacityParametersThrow()
    {
        var args = new KernelArgs();
        for (int i = 0; i < KernelArgs.Capacity; i++) args = args.Int(i);
        Assert.Equal(KernelArgs.Capacity, args.Count);
        Assert.Equal((ulong)(KernelArgs.Capacity - 1), args[KernelArgs.Capacity - 1]);
        var e = Assert.Throws<InvalidOperationException>(() => args.Float(0f));
        Assert.Equal($"A kernel launch takes at most {KernelArgs.Capacity} parameters.", e.Message);
    }

    [Fact]
    public void ReadingPastTheCountThrows()
    {
        var args = new KernelArgs().Int(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => args[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => args[-1]);
    }
}
