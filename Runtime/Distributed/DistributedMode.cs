namespace DinoCompiled.Distributed;

/// <summary>How a run finds its ranks.</summary>
public enum DistributedMode
{
    /// <summary>MPI when Open MPI's launcher started the process (<c>mpirun</c> sets <c>OMPI_COMM_WORLD_SIZE</c>), else one process.</summary>
    Auto,

    /// <summary>MPI always: a process started without <c>mpirun</c> is a world of one MPI rank.</summary>
    Mpi,

    /// <summary>One process, even under <c>mpirun</c> (every rank then trains a whole model of its own).</summary>
    None,
}
