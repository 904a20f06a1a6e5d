using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace DinoCompiled.Cli;

/// <summary>
/// The progress of long work (training, feature extraction, probes) on standard error. On a terminal it is one line
/// redrawn in place (a bar, the share done, the command's own figures, the time left), erased before any other line is
/// written; when standard error is redirected it is a plain line every <see cref="PlainInterval"/>, so a CI log gets a
/// heartbeat instead of carriage returns. The time left is measured from the first report of a task, so a resumed
/// run's estimate counts only the work this process did.
/// </summary>
public sealed class ProgressDisplay
{
    /// <summary>The shortest time between two redraws of the live line.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The time between two plain lines.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(15);

    private const int BarWidth = 20;

    private readonly TextWriter _writer;
    private readonly TimeProvider _clock;
    private readonly int _lineWidth;
    private readonly bool _unicode;
    private string? _task;
    private long _taskStart, _lastShown;
    private long _firstDone;
    private int _shownLength;

    /// <param name="writer">Where the progress goes (standard error).</param>
    /// <param name="mode">Live, plain or none; <see cref="ProgressMode.Auto"/> is resolved by <see cref="ForStandardError"/>, and is plain here.</param>
    /// <param name="clock">The time source; tests pass one they move by hand.</param>
    /// <param name="lineWidth">The live line is cut to this many characters (the terminal's width); 0 for no limit.</param>
    /// <param name="unicode">Draw the bar with block characters (a UTF-8 terminal) rather than ASCII.</param>
    public ProgressDisplay(TextWriter writer, ProgressMode mode, TimeProvider? clock = null, int lineWidth = 0, bool unicode = false)
    {
        _writer = writer;
        Mode = mode == ProgressMode.Auto ? ProgressMode.Plain : mode;
        _clock = clock ?? TimeProvider.System;
        _lineWidth = lineWidth;
        _unicode = unicode;
    }

    /// <summary>Live, plain or none.</summary>
    public ProgressMode Mode { get; }

    /// <summary>
    /// The display for <paramref name="error"/>: <see cref="ProgressMode.Auto"/> is live only when it is the process's
    /// standard error, that is a terminal (not redirected, <c>TERM</c> not <c>dumb</c>); any other writer (a test's) is plain.
    /// </summary>
    public static ProgressDisplay ForStandardError(TextWriter error, ProgressMode mode)
    {
        bool console = ReferenceEquals(error, Console.Error);
        bool terminal = console && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        if (mode == ProgressMode.Auto) mode = terminal ? ProgressMode.Live : ProgressMode.Plain;
        int width = 0;
        if (terminal)
        {
            try
            {
                width = Console.WindowWidth;
            }
            catch (IOException)
            {
                // No window to ask (a pseudo-terminal without a size): the line is not cut.
            }
        }
        return new ProgressDisplay(error, mode, lineWidth: width, unicode: terminal && Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage);
    }

    /// <summary>The <c>--progress</c> option's value; <paramref name="command"/> names the command in the error.</summary>
    public static ProgressMode ParseMode(string command, string? text) => text switch
    {
        null or "auto" => ProgressMode.Auto,
        "live" => ProgressMode.Live,
        "plain" => ProgressMode.Plain,
        "none" => ProgressMode.None,
        _ => throw new CliException($"{command}: --progress takes 'auto', 'live', 'plain' or 'none', not '{text}'"),
    };

    /// <summary>
    /// Reports <paramref name="done"/> of <paramref name="total"/> <paramref name="unit"/> of <paramref name="task"/>,
    /// with the command's own figures in <paramref name="detail"/>. Cheap to call after every unit: it draws only
    /// when the interval of its mode has passed (live: also the first report and the last unit).
    /// </summary>
    public void Report(string task, long done, long total, string unit, string detail = "")
    {
        if (Mode == ProgressMode.None) return;
        long now = _clock.GetTimestamp();
        bool first = task != _task;
        if (first)
        {
            _task = task;
            _taskStart = _lastShown = now;
            _firstDone = done;
        }
        var since = _clock.GetElapsedTime(_lastShown, now);
        if (Mode == ProgressMode.Live)
        {
            if (!first && done < total && since < LiveInterval) return;
            Draw(Line(task, done, total, unit, detail, now, live: true));
        }
        else
        {
            if (first || since < PlainInterval) return;
            _writer.WriteLine(Line(task, done, total, unit, detail, now, live: false));
        }
        _lastShown = now;
    }

    /// <summary>Erases the live line, so that the next line written starts on a clean line; the task goes on.</summary>
    public void Clear()
    {
        if (_shownLength == 0) return;
        _writer.Write("\r" + new string(' ', _shownLength) + "\r");
        _shownLength = 0;
    }

    /// <summary>Erases the live line and forgets the task: a later report of the same name starts a new estimate.</summary>
    public void Finish()
    {
        Clear();
        _task = null;
    }

    private void Draw(string line)
    {
        if (_lineWidth > 1 && line.Length > _lineWidth - 1) line = line[..(_lineWidth - 1)];
        // Spaces over what the previous, longer line left behind.
        string padding = line.Length < _shownLength ? new string(' ', _shownLength - line.Length) : "";
        _writer.Write("\r" + line + padding);
        _writer.Flush();
        _shownLength = line.Length;
    }

    private string Line(string task, long done, long total, string unit, string detail, long now, bool live)
    {
        double share = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        var elapsed = _clock.GetElapsedTime(_taskStart, now);
        double rate = elapsed.TotalSeconds > 0 ? (done - _firstDone) / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? Clock(TimeSpan.FromSeconds((total - done) / rate)) : "--:--:--";
        string counts = string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{total:N0} {unit}");
        string figures = detail.Length == 0 ? "" : "  " + detail;
        if (!live)
            return string.Create(CultureInfo.InvariantCulture, $"  {task}: {counts} ({share * 100:F0} %){figures}  elapsed {Clock(elapsed)}, ETA {eta}");
        int filled = (int)Math.Round(share * BarWidth);
        string bar = _unicode
            ? new string('\u2588', filled) + new string('\u2591', BarWidth - filled)
            : "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
        return string.Create(CultureInfo.InvariantCulture, $"  {task} {bar} {share * 100,3:F0} %  {counts}{figures}  ETA {eta}");
    }

    private static string Clock(TimeSpan span) => span.TotalHours >= 100
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours:00}:{span.Minutes:00}:{span.Seconds:00}");
}
