using System;

namespace DinoCompiled.Cuda;

/// <summary>
/// A call into the CUDA driver, NVRTC or cuBLASLt returned an error status. The message is one line naming the call, the
/// status name and its code, e.g. <c>cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2)</c>.
/// </summary>
public class CudaException : Exception
{
    /// <summary>An exception for a failed call.</summary>
    public CudaException(CudaLibrary library, string call, int code, string errorName)
        : this(library, call, code, errorName, null)
    {
    }

    /// <summary>An exception for a failed call, with a detail line appended to the message.</summary>
    protected CudaException(CudaLibrary library, string call, int code, string errorName, string? detail)
        : base(Format(call, code, errorName, detail))
    {
        Library = library;
        Call = call;
        Code = code;
        ErrorName = errorName;
    }

    /// <summary>The library whose call failed.</summary>
    public CudaLibrary Library { get; }

    /// <summary>The entry point that failed, e.g. <c>cuMemAlloc_v2</c>.</summary>
    public string Call { get; }

    /// <summary>The status code it returned (<c>CUresult</c>, <c>nvrtcResult</c> or <c>cublasStatus_t</c>).</summary>
    public int Code { get; }

    /// <summary>The status's name, e.g. <c>CUDA_ERROR_OUT_OF_MEMORY</c>, or <c>unknown</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The one-line message for a failed call.</summary>
    internal static string Format(string call, int code, string errorName, string? detail)
    {
        string message = $"{call} failed: {errorName} ({code})";
        return string.IsNullOrEmpty(detail) ? message : $"{message}: {detail}";
    }
}
