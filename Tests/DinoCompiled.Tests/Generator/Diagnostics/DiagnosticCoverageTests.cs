using System.IO;
using System.Linq;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

public sealed class DiagnosticCoverageTests
{
    [Fact]
    public void EveryDescriptor_IsMarkedInATestOfThisFolder()
    {
        string folder = Path.Combine(RepositoryPaths.Root, "Tests", "DinoCompiled.Tests", "Generator", "Diagnostics");
        string tests = string.Concat(Directory.GetFiles(folder, "*Tests.cs").Select(File.ReadAllText));

        var untested = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !tests.Contains("{|" + id + ":")).OrderBy(id => id);

        Assert.Empty(untested);
    }
}
