using System;

namespace DinoCompiled.Distributed;

/// <summary>Opens the communicator a run's <see cref="DistributedMode"/> asks for.</summary>
public static class Communicators
{
    /// <summary>The world of this process: MPI's (initialized here) or a single process.</summary>
    /// <exception cref="MpiException">MPI was asked for (or <c>mpirun</c> started the process) and cannot be initialized.</exception>
    public static ICommunicator Open(DistributedMode mode) => mode switch
    {
        DistributedMode.None => SingleProcess.Instance,
        DistributedMode.Mpi => MpiCommunicator.Initialize(),
        DistributedMode.Auto => MpiCommunicator.LaunchedByMpirun ? MpiCommunicator.Initialize() : SingleProcess.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
