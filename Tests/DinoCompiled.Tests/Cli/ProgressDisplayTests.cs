using System;
using System.IO;
using System.Linq;
using DinoCompiled.Cli;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// The progress display: the live line is redrawn in place (throttled, padded over a longer previous line, cut to the
/// terminal, erased by Clear); redirected output gets whole lines at the plain interval only; none writes nothing;
/// the time left comes from the rate since the task's first report.
/// </summary>
public sealed class ProgressDisplayTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void TheLiveLineIsRedrawnInPlaceAtMostFiveTimesASecondWithABarAndTheTimeLeft()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var display = new ProgressDisplay(writer, ProgressMode.Live, clock);
        display.Report("train", 0, 100, "steps", "loss 9.0000");
        Assert.Equal("\r  train [....................]   0 %  0/100 steps  loss 9.0000  ETA --:--:--", writer.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(100));
        display.Report("train", 1, 100, "steps", "loss 8.9000");
        Assert.DoesNotContain("1/100", writer.ToString());

        clock.Advance(TimeSpan.FromMilliseconds(150));
        writer.GetStringBuilder().Clear();
        display.Report("train", 25, 100, "steps");
        // 25 steps in 0.25 s: 75 left take 0.75 s. The shorter line is padded over the longer one before it.
        string line = "  train [#####...............]  25 %  25/100 steps  ETA 00:00:00";
        int previous = "  train [....................]   0 %  0/100 steps  loss 9.0000  ETA --:--:--".Length;
        Assert.Equal("\r" + line + new string(' ', previous - line.Length), writer.ToString());

        writer.GetStringBuilder().Clear();
        display.Clear();
        Assert.Equal("\r" + new string(' ', line.Length) + "\r", writer.ToString());
        writer.GetStringBuilder().Clear();
        display.Clear();
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void TheLastUnitIsDrawnEvenInsideTheInterval()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var display = new ProgressDisplay(writer, ProgressMode.Live, clock);
        display.Report("features", 0, 10, "images");
        clock.Advance(TimeSpan.FromMilliseconds(10));
        display.Report("features", 10, 10, "images");
        Assert.Contains("100 %  10/10 images", writer.ToString());
    }

    [Fact]
    public void TheTimeLeftComesFromTheRateSinceTheFirstReport()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var display = new ProgressDisplay(writer, ProgressMode.Live, clock);
        // A resumed run starts at step 500: the estimate counts only this process's steps.
        display.Report("train", 500, 1000, "steps");
        clock.Advance(TimeSpan.FromSeconds(100));
        display.Report("train", 600, 1000, "steps");
        Assert.EndsWith("ETA 00:06:40", writer.ToString());
    }

    [Fact]
    public void TheLiveLineIsCutToTheTerminalWidth()
    {
        var writer = new StringWriter();
        new ProgressDisplay(writer, ProgressMode.Live, new ManualClock(), lineWidth: 40).Report("train", 3, 10, "steps", "a long detail that does not fit");
        Assert.Equal(1 + 39, writer.ToString().Length);
    }

    [Fact]
    public void RedirectedOutputGetsAWholeLineEveryPlainIntervalAndNoCarriageReturn()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var display = new ProgressDisplay(writer, ProgressMode.Auto, clock);
        Assert.Equal(ProgressMode.Plain, display.Mode);
        for (int step = 0; step <= 100; step++)
        {
            display.Report("train", step, 100, "steps", $"loss {step}");
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', writer.ToString().Replace(Environment.NewLine, "\n"));
        // 100 s of work: a line at 15, 30, ..., 90 s.
        Assert.Equal(6, lines.Length);
        Assert.Equal("  train: 15/100 steps (15 %)  loss 15  elapsed 00:00:15, ETA 00:01:25", lines[0].TrimEnd('\r'));
        Assert.StartsWith("  train: 90/100 steps (90 %)", lines[^1]);
        display.Clear();
        Assert.Equal(6, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void NoneWritesNothing()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var display = new ProgressDisplay(writer, ProgressMode.None, clock);
        for (int i = 0; i < 10; i++)
        {
            display.Report("train", i, 10, "steps");
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        display.Finish();
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void AWriterThatIsNotStandardErrorIsNeverLive() =>
        Assert.Equal(ProgressMode.Plain, ProgressDisplay.ForStandardError(new StringWriter(), ProgressMode.Auto).Mode);

    [Fact]
    public void TrainingWithLiveProgressRedrawsOneLineAndErasesItBeforeTheEpochLine()
    {
        using var run = new SmallTrainedRun();
        string folder = run.NewFolder("live");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", run.Data, "--epochs", "1", "--batch", "32", "--local-crops", "2",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--no-init-eval", "--out", folder, "--progress", "live",
        ]);
        Assert.True(code == 0, error);
        Assert.StartsWith("\r  train [", error);
        Assert.Contains("5/5 steps", error);
        // The last write erases the line: spaces, then a carriage return.
        Assert.EndsWith(" \r", error);
        Assert.DoesNotContain("\n", error);
        Assert.Contains("epoch   1: loss", output);
    }

    [Fact]
    public void ABadProgressModeIsOneLine()
    {
        var (code, _, error) = CliRun.Dino(["train", "--progress", "fancy"]);
        Assert.Equal(2, code);
        Assert.Equal("dino: train: --progress takes 'auto', 'live', 'plain' or 'none', not 'fancy'\n", error);
    }
}
