using System.IO;
using System.Runtime.CompilerServices;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// Snapshot assertions for tests: approved files live in <c>_snapshots/</c> next to the calling test file, named
/// after its class (one type per file) and method. See <see cref="SnapshotStore"/> for the rules.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string? suffix = null, string extension = "txt",
        [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        var store = new SnapshotStore(Path.Combine(Path.GetDirectoryName(testFile)!, "_snapshots"), SnapshotStore.AcceptFromEnvironment);
        string name = Path.GetFileNameWithoutExtension(testFile) + "." + testMethod + (suffix is null ? "" : "#" + suffix);
        store.Match(name, extension, actual);
    }
}
