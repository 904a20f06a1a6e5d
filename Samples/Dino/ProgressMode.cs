namespace DinoCompiled.Cli;

/// <summary>How long work shows its progress (<c>--progress</c>).</summary>
public enum ProgressMode
{
    /// <summary>Live on a terminal, plain when standard error is redirected (a CI log, a file, a pipe).</summary>
    Auto,

    /// <summary>One line redrawn in place with a bar, a few times a second.</summary>
    Live,

    /// <summary>A whole line every <see cref="ProgressDisplay.PlainInterval"/>, which reads the same in a log.</summary>
    Plain,

    /// <summary>Nothing.</summary>
    None,
}
