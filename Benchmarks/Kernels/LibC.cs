// .NET's Environment.SetEnvironmentVariable does not change the native environment on
// Unix, and OpenBLAS reads its settings with getenv.
using System.Runtime.InteropServices;

namespace DinoCompiled.Benchmarks.Kernels;

internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);
}
