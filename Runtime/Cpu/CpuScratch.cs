// Grow-only, 64-byte-aligned native scratch buffers, so that kernels allocate no managed
// memory after the first call. Per-thread buffers are indexed by CpuParallel.WorkerIndex
// and used only inside a dispatch; shared buffers are used only while CpuParallel.Gate is
// held. Both rules make every buffer single-owner at any moment.
using System;
using System.Runtime.InteropServices;

namespace DinoCompiled.Cpu;

internal static unsafe class CpuScratch
{
    private const int MaxThreads = 257;
    private static readonly int SlotCount = Enum.GetValues<ScratchSlot>().Length;
    private static readonly nint[] Buffers = new nint[MaxThreads * SlotCount];
    private static readonly long[] Sizes = new long[MaxThreads * SlotCount];

    /// <summary>The current thread's buffer <paramref name="slot"/>, at least <paramref name="bytes"/> long.</summary>
    public static void* ForThread(ScratchSlot slot, long bytes) => Get(CpuParallel.WorkerIndex, slot, bytes);

    /// <summary>A buffer shared by all threads of one kernel call; the caller holds CpuParallel.Gate.</summary>
    public static void* Shared(ScratchSlot slot, long bytes) => Get(MaxThreads - 1, slot, bytes);

    private static void* Get(int thread, ScratchSlot slot, long bytes)
    {
        int index = thread * SlotCount + (int)slot;
        if (Sizes[index] < bytes)
        {
            NativeMemory.AlignedFree((void*)Buffers[index]);
            Buffers[index] = 0;
            Sizes[index] = 0;
            // Round up so that slowly growing requests do not reallocate every call.
            long size = Math.Max(bytes + bytes / 4, 4096);
            Buffers[index] = (nint)NativeMemory.AlignedAlloc((nuint)size, 64);
            Sizes[index] = size;
        }

        return (void*)Buffers[index];
    }
}
