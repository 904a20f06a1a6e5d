using System;
using System.Collections.Generic;

namespace DinoCompiled.Cuda;

/// <summary>
/// A model's generated CUDA C: one self-contained translation unit (no <c>#include</c>) of <c>extern "C"</c> kernels with
/// the model's dimensions as constants, and the kernel names in the order generated schedules number them.
/// </summary>
public sealed class CudaModuleSource
{
    /// <summary>The source and its kernel names.</summary>
    public CudaModuleSource(string modelName, string source, IReadOnlyList<string> kernelNames)
    {
        ModelName = modelName ?? throw new ArgumentNullException(nameof(modelName));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        KernelNames = kernelNames ?? throw new ArgumentNullException(nameof(kernelNames));
    }

    /// <summary>The model's name (kebab case).</summary>
    public string ModelName { get; }

    /// <summary>The CUDA C source.</summary>
    public string Source { get; }

    /// <summary>Every kernel in the source; a schedule's launch names one by its index here.</summary>
    public IReadOnlyList<string> KernelNames { get; }

    /// <summary>The value of a <c>#define NAME value</c> line of the source (the generated modules define their dimensions so).</summary>
    /// <exception cref="KeyNotFoundException">The source defines no such name as a number.</exception>
    public long Define(string name)
    {
        string prefix = "#define " + name + " ";
        foreach (var line in Source.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var value = line.Substring(prefix.Length).Split(' ', 2)[0];
            if (long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long number)) return number;
        }
        throw new KeyNotFoundException($"The CUDA module of {ModelName} does not #define {name} as a number.");
    }

    /// <summary>The index of a kernel by name.</summary>
    /// <exception cref="KeyNotFoundException">The module has no such kernel.</exception>
    public int IndexOf(string kernelName)
    {
        for (int i = 0; i < KernelNames.Count; i++)
            if (KernelNames[i] == kernelName) return i;
        throw new KeyNotFoundException($"The CUDA module of {ModelName} has no kernel '{kernelName}'.");
    }
}
