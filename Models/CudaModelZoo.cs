using System;
using DinoCompiled.Cuda;

namespace DinoCompiled.Models;

/// <summary>The zoo's models with their CUDA modules, by command-line name.</summary>
public static class CudaModelZoo
{
    /// <summary>Runs <paramref name="visitor"/> on the model with that name; false when the zoo has no such model.</summary>
    public static bool Visit(string name, ICudaModelVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        // The CPU catalog is generated; this list names the same classes with the CUDA interface (a test holds the two together).
        switch (name.ToLowerInvariant())
        {
            case "fmnist-tiny": visitor.Visit<FmnistTiny>(); return true;
            case "vit-tiny-16": visitor.Visit<VitTiny16>(); return true;
            case "vit-small-16": visitor.Visit<VitSmall16>(); return true;
            case "vit-small-8": visitor.Visit<VitSmall8>(); return true;
            case "vit-base-16": visitor.Visit<VitBase16>(); return true;
            case "vit-base-8": visitor.Visit<VitBase8>(); return true;
            default: return false;
        }
    }
}
