using System;
using System.Runtime.InteropServices;

namespace DinoCompiled.Distributed.Interop;

/// <summary>
/// Open MPI's predefined handles. mpi.h defines <c>MPI_COMM_WORLD</c> as <c>&amp;ompi_mpi_comm_world</c> (and so on), so
/// each handle is the address of an exported global: read once from the loaded library. MPICH and its derivatives use
/// integer handles instead; their absence here is how the probe tells an MPI that is not Open MPI.
/// </summary>
internal readonly struct MpiHandles
{
    /// <summary>The exported symbols, in the order of the fields.</summary>
    public static readonly string[] Symbols = ["ompi_mpi_comm_world", "ompi_mpi_float", "ompi_mpi_double", "ompi_mpi_byte", "ompi_mpi_op_sum", "ompi_mpi_errors_return"];

    public nint CommWorld { get; init; }
    public nint Float { get; init; }
    public nint Double { get; init; }
    public nint Byte { get; init; }
    public nint Sum { get; init; }
    public nint ErrorsReturn { get; init; }

    /// <summary>The handles from a loaded libmpi; null with the first missing symbol when one is absent.</summary>
    public static MpiHandles? Read(IntPtr library, out string? missing)
    {
        var values = new nint[Symbols.Length];
        for (int i = 0; i < Symbols.Length; i++)
        {
            if (!NativeLibrary.TryGetExport(library, Symbols[i], out values[i]))
            {
                missing = Symbols[i];
                return null;
            }
        }
        missing = null;
        return new MpiHandles { CommWorld = values[0], Float = values[1], Double = values[2], Byte = values[3], Sum = values[4], ErrorsReturn = values[5] };
    }
}
