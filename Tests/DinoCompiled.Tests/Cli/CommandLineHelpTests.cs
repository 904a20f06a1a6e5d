using System.IO;
using System.Linq;
using DinoCompiled.Cli;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>The command line on System.CommandLine: help everywhere, suggestions, response files, completion.</summary>
public sealed class CommandLineHelpTests
{
    [Fact]
    public void RootHelpListsEveryCommand()
    {
        var (code, output, _) = CliRun.Dino(["--help"]);
        Assert.Equal(0, code);
        // The usage names the executable: dino, or the test host here.
        Assert.Matches(@"Usage:\n  \S+ \[command\] \[options\]", output);
        foreach (string command in DinoCli.Commands.Select(c => c.Name.Split(' ')[0]).Distinct())
            Assert.Matches($@"\n  {command}\b.*\S", output);
    }

    [Fact]
    public void EveryCommandAnswersHelpWithEveryOptionAndItsDescription()
    {
        foreach (var spec in DinoCli.Commands)
            foreach (string help in new[] { "--help", "-h" })
            {
                var (code, output, error) = CliRun.Dino([.. spec.Name.Split(' '), help]);
                Assert.True(code == 0, $"{spec.Name} {help}: {error}");
                Assert.Matches($@"Usage:\n  \S+ {spec.Name}", output);
                Assert.Contains(CommandHelp.Commands[spec.Name], output);
                foreach (string option in spec.Valued.Concat(spec.Flags))
                {
                    Assert.Contains(option, output);
                    Assert.Contains(CommandHelp.For(spec.Name, option).Split('.')[0], output);
                }
            }
        var (_, train, _) = CliRun.Dino(["train", "--help"]);
        Assert.Matches(@"--epochs <VALUE>\s+Epochs\. Default: 100\.", train);
        Assert.Matches(@"--data <DIR>\s+IDX files", train);
    }

    [Theory]
    [InlineData(new[] { "train", "--epoch", "3" }, "dino: train: unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "eval", "knn", "--checkpiont", "c" }, "dino: eval knn: unknown option '--checkpiont'; did you mean '--checkpoint'?")]
    [InlineData(new[] { "trian" }, "dino: unknown command 'trian' (did you mean 'train'?); the commands are: inspect, models")]
    [InlineData(new[] { "@/nonexistent/args.rsp" }, "dino: response file: no file '/nonexistent/args.rsp'")]
    [InlineData(new[] { "train", "@/nonexistent/args.rsp" }, "dino: response file: no file '/nonexistent/args.rsp'")]
    [InlineData(new[] { "attention", "--frobnicate", "1" }, "dino: attention: unknown option '--frobnicate'; the options are: --block, --checkpoint")]
    public void AMisspeltNameIsOneLineWithTheClosestName(string[] args, string start)
    {
        var (code, _, error) = CliRun.Dino(args);
        Assert.Equal(2, code);
        Assert.StartsWith(start, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AResponseFileStandsForItsArguments()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "inspect\nfmnist-tiny\n--no-table\n");
            var (code, output, error) = CliRun.Dino(["@" + file]);
            Assert.True(code == 0, error);
            Assert.StartsWith("fmnist-tiny (DinoCompiled.Models.FmnistTiny)", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TheSuggestDirectiveCompletesOptions()
    {
        var (code, output, _) = CliRun.Dino(["[suggest:15]", "dino train --ep"]);
        Assert.Equal(0, code);
        Assert.Equal("--epochs", output.Trim());
    }
}
