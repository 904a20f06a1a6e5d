namespace DinoCompiled.Cuda;

/// <summary>
/// The measured time of one op in one stage of a step, keyed as <see cref="GpuKernelEstimate"/> is ("student 224
/// backward", "LayerNormGrad"), so a row of the performance model and a row of the measurement line up.
/// </summary>
/// <param name="Stage">The stage and direction, as the performance model names them; "loss" for the loss kernels and the gradient clear.</param>
/// <param name="Op">The plan node's op; "(segment start)" for launches before a segment's first node (the head's input copy).</param>
/// <param name="Nodes">Plan nodes of this op timed in the stage.</param>
/// <param name="Seconds">The device time from each node's mark to the next, summed.</param>
public sealed record CudaNodeTiming(string Stage, string Op, int Nodes, double Seconds);
