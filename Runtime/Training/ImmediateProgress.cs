using System;

namespace DinoCompiled.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread, in order. The framework's
/// <see cref="Progress{T}"/> posts each report to the thread pool when there is no synchronization context (a console
/// program), so its reports can run out of order and after the run has returned; a training log wants neither.
/// </summary>
public sealed class ImmediateProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Reports go to <paramref name="handler"/>.</summary>
    public ImmediateProgress(Action<T> handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc/>
    public void Report(T value) => _handler(value);
}
