namespace DinoCompiled.Cuda;

/// <summary>
/// Numbered time marks on the device's stream: <see cref="CudaNodeTimer"/> records one before every node a schedule
/// announces and reads the intervals after the step. The device's is <see cref="CudaEventClock"/> (CUDA events); tests
/// give the timer a clock of their own, so its attribution is checked without a GPU.
/// </summary>
public interface ICudaEventClock
{
    /// <summary>Records mark <paramref name="index"/> (0, 1, 2, ... in order) where the stream has got to.</summary>
    void Record(int index);

    /// <summary>Waits until every recorded mark has been reached.</summary>
    void Synchronize();

    /// <summary>Seconds from mark <paramref name="from"/> to mark <paramref name="to"/>, both recorded and reached.</summary>
    double Seconds(int from, int to);
}
