using System;
using System.IO;
using DinoCompiled.Cli;

namespace DinoCompiled.Tests.Cli;

/// <summary>Runs the <c>dino</c> program in-process and captures its exit code, output and error (LF line ends).</summary>
internal static class CliRun
{
    public static (int Code, string Output, string Error) Dino(string[] args, Func<string, Stream>? openCheckpointFile = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DinoCli.Run(args, output, error, openCheckpointFile);
        return (code, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }
}
