// Length checks for the span overloads: every kernel's span form proves that the pointer
// form it calls stays inside the buffers.
using System;

namespace DinoCompiled.Cpu;

internal static class SpanChecks
{
    /// <summary>A row-major [rows, cols] matrix with leading dimension ld fits in length.</summary>
    public static void Matrix(int length, int rows, int cols, int ld, string name)
    {
        if (rows <= 0 || cols <= 0) return;
        if (ld < cols) throw new ArgumentException($"Leading dimension {ld} is smaller than {cols} columns.", name);
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed) throw new ArgumentException($"Needs {needed} elements, has {length}.", name);
    }

    /// <summary>At least <paramref name="needed"/> elements.</summary>
    public static void Length(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"Needs {needed} elements, has {length}.", name);
    }
}
