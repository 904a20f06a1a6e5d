namespace DinoCompiled.Cpu;

/// <summary>
/// A loop body for <see cref="CpuParallel.For{TBody}(int, ref TBody)"/>: a struct, so that
/// the call is specialised and nothing is boxed or allocated.
/// </summary>
public interface IParallelBody
{
    /// <summary>Runs item <paramref name="index"/>; must not depend on which thread runs it.</summary>
    void Invoke(int index);
}
