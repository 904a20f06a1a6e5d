using System;
using System.IO;
using System.Linq;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// Compares text with an approved snapshot <c>{Class}.{Method}[#{suffix}].verified.{ext}</c> in one directory.
/// Line endings and trailing white space are normalized. On a mismatch it writes <c>.received.{ext}</c> beside the
/// approved file and fails with the first differing lines; in accept mode it overwrites the approved file instead.
/// </summary>
internal sealed class SnapshotStore
{
    private readonly string _directory;
    private readonly bool _accept;

    public SnapshotStore(string directory, bool accept)
    {
        _directory = directory;
        _accept = accept;
    }

    /// <summary>Accept mode: <c>DINO_ACCEPT_SNAPSHOTS=1</c>, ignored on CI (<c>CI=true</c>) so CI can never approve its own output.</summary>
    public static bool AcceptFromEnvironment =>
        Accepts(Environment.GetEnvironmentVariable("DINO_ACCEPT_SNAPSHOTS"), Environment.GetEnvironmentVariable("CI"));

    public static bool Accepts(string? acceptVariable, string? ciVariable) =>
        acceptVariable == "1" && !string.Equals(ciVariable, "true", StringComparison.OrdinalIgnoreCase);

    public string VerifiedPath(string name, string extension) => Path.Combine(_directory, name + ".verified." + extension);

    public string ReceivedPath(string name, string extension) => Path.Combine(_directory, name + ".received." + extension);

    public void Match(string name, string extension, string actual)
    {
        string verifiedPath = VerifiedPath(name, extension), receivedPath = ReceivedPath(name, extension);
        string received = Normalize(actual);
        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == received)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        Directory.CreateDirectory(_directory);
        if (_accept)
        {
            File.WriteAllText(verifiedPath, received);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, received);
        throw new SnapshotMismatchException(verified is null
            ? $"No approved snapshot {verifiedPath}; the output is in {receivedPath}. Review it, then run the tests with DINO_ACCEPT_SNAPSHOTS=1 to approve it."
            : $"Snapshot {Path.GetFileName(verifiedPath)} differs: {FirstDifference(verified, received)}. The new output is in {receivedPath}; if the change is intended, run the tests with DINO_ACCEPT_SNAPSHOTS=1.");
    }

    /// <summary>LF line endings, no trailing white space, no BOM, exactly one final newline.</summary>
    public static string Normalize(string text)
    {
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "<end of file>", right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
                return $"line {i + 1}{Environment.NewLine}  approved: {left}{Environment.NewLine}  received: {right}";
        }
        return "only in line endings";
    }
}
