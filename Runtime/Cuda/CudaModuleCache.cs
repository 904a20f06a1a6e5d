using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace DinoCompiled.Cuda;

/// <summary>
/// Compiles a module with NVRTC for the device's architecture (CUBIN; PTX for the newest architecture NVRTC knows when it
/// does not know the device's) and keeps the result on disk, keyed by a hash of the source, the options, the NVRTC
/// version and the driver version, so a second run loads in milliseconds. The cache lives in $DINO_CUDA_CACHE, else
/// $XDG_CACHE_HOME/dinocompiled/cuda, else ~/.cache/dinocompiled/cuda; entries are written atomically.
/// </summary>
internal static class CudaModuleCache
{
    /// <summary>The newest architecture the oldest NVRTC we accept (11.8) compiles CUBIN for.</summary>
    private const int NewestKnownArchitecture = 90;

    /// <summary>NVRTC_ERROR_INVALID_OPTION: what NVRTC answers for an architecture it does not know.</summary>
    private const int InvalidOption = 5;

    /// <summary>
    /// The options every module is compiled with besides the architecture. No fast math: that is NVRTC's default, and
    /// <c>--use_fast_math</c> is a flag that takes no value (NVRTC 11.8 rejects <c>--use_fast_math=false</c> with
    /// NVRTC_ERROR_INVALID_OPTION, which would fail every module load).
    /// </summary>
    internal static readonly string[] s_commonOptions = { "--std=c++17", "-default-device", "-lineinfo" };

    public static CudaBinary CompileOrLoad(CudaModuleSource source, CudaDevice device)
    {
        int architecture = device.ComputeCapability.Major * 10 + device.ComputeCapability.Minor;
        string nvrtcVersion = NvrtcCompiler.Version.ToString();
        foreach (var (option, cubin) in Targets(architecture))
        {
            string key = Key(source.Source, option, nvrtcVersion, device.DriverVersion);
            string? directory = CacheDirectory();
            string? path = directory is null ? null : Path.Combine(directory, key + (cubin ? ".cubin" : ".ptx"));
            if (path is not null && File.Exists(path))
                return new CudaBinary(File.ReadAllBytes(path), cubin, option, FromCache: true);

            NvrtcCompilation result;
            try
            {
                result = NvrtcCompiler.Compile(source, [$"--gpu-architecture={option}", .. s_commonOptions]);
            }
            catch (CudaException exception) when (cubin && exception.Library == CudaLibrary.Nvrtc && exception.Code == InvalidOption)
            {
                continue; // NVRTC does not know this architecture: fall back to PTX the driver can compile.
            }
            var bytes = result.Image;
            if (path is not null) TryWrite(path, bytes);
            return new CudaBinary(bytes, cubin, option, FromCache: false);
        }
        throw new NotSupportedException($"NVRTC {nvrtcVersion} compiles neither sm_{architecture} nor compute_{Math.Min(architecture, NewestKnownArchitecture)} for {source.ModelName}");
    }

    private static (string Option, bool Cubin)[] Targets(int architecture) =>
    [
        ($"sm_{architecture}", true),
        ($"compute_{Math.Min(architecture, NewestKnownArchitecture)}", false),
    ];

    internal static string Key(string source, string architectureOption, string nvrtcVersion, int driverVersion)
    {
        var text = string.Join("\n", source, architectureOption, string.Join(" ", s_commonOptions), nvrtcVersion, driverVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    internal static string? CacheDirectory()
    {
        string? root = Environment.GetEnvironmentVariable("DINO_CUDA_CACHE");
        if (string.IsNullOrEmpty(root))
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (!string.IsNullOrEmpty(xdg)) root = Path.Combine(xdg, "dinocompiled", "cuda");
            else if (!string.IsNullOrEmpty(home)) root = Path.Combine(home, ".cache", "dinocompiled", "cuda");
            else return null;
        }
        try
        {
            Directory.CreateDirectory(root);
            return root;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // No cache: compile every time rather than fail.
        }
    }

    private static void TryWrite(string path, byte[] bytes)
    {
        string temporary = path + "." + Environment.ProcessId + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { }
        }
    }
}
