using System;
using System.Text.RegularExpressions;

namespace DinoCompiled.Cuda;

/// <summary>
/// NVRTC rejected a source or its options. The message is the failed call and status followed by the log's first error
/// line (e.g. <c>nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (6): dino.cu(3): error: identifier "x" is
/// undefined</c>); <see cref="Log"/> has the whole log.
/// </summary>
public sealed class NvrtcCompileException : CudaException
{
    /// <summary>An exception for a failed compilation.</summary>
    public NvrtcCompileException(string call, int code, string errorName, string log)
        : base(CudaLibrary.Nvrtc, call, code, errorName, FirstErrorLine(log ?? throw new ArgumentNullException(nameof(log))))
    {
        Log = log;
    }

    /// <summary>NVRTC's full program log.</summary>
    public string Log { get; }

    // Front end ("dino.cu(3): error: ..."), option parser ("nvrtc: error: ...") and ptxas ("ptxas error   : ...") all
    // put "error" before a colon; the closing "1 error detected in ..." does not, so it never wins over the cause.
    private static readonly Regex ErrorMarker = new(@"\berror\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The first line of a log that reports an error, else its first non-blank line, else null.</summary>
    public static string? FirstErrorLine(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        string? firstNonBlank = null;
        foreach (string raw in log.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            firstNonBlank ??= line;
            if (ErrorMarker.IsMatch(line)) return line;
        }
        return firstNonBlank;
    }
}
