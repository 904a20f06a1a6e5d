using System;

namespace DinoCompiled.Training;

/// <summary>The loss became NaN or infinite: the step's update was not applied, and the last checkpoint is untouched.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Reports the step and the loss.</summary>
    public TrainingDivergedException(long step, int epoch, double loss)
        : base($"the loss became {loss} at step {step} (epoch {epoch}); the update was not applied and the last checkpoint is intact. " +
               "Lower --lr, raise --warmup-epochs, or keep --clip-grad on.")
    {
        Step = step;
        Loss = loss;
    }

    /// <summary>The step that diverged.</summary>
    public long Step { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
