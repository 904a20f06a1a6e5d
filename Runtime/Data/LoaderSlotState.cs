namespace DinoCompiled.Data;

/// <summary>Where a ring slot of a <see cref="MultiCropLoader"/> is in its cycle.</summary>
internal enum LoaderSlotState
{
    /// <summary>Free for a worker to claim.</summary>
    Free,

    /// <summary>A worker is making its batch.</summary>
    Filling,

    /// <summary>Made, waiting for the consumer.</summary>
    Ready,

    /// <summary>Handed out; back to free when the consumer releases it.</summary>
    Held,
}
