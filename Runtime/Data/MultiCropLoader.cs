using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace DinoCompiled.Data;

/// <summary>
/// Makes DINO's multi-crop batches on worker threads ahead of the training step. Epoch e visits the dataset in the
/// order <see cref="EpochShuffle"/>(seed, e) and drops the last incomplete batch, as DINO's sampler with
/// <c>drop_last=True</c>. Each worker fills whole batches into one of a fixed ring of native buffers; batch n always
/// uses ring slot n mod ring size and is handed out in order, so a batch's bytes depend on (seed, epoch, position)
/// only, never on the number of workers or on timing. Nothing is allocated per batch once the loader is built.
/// </summary>
public sealed class MultiCropLoader : IDisposable
{
    private readonly object _gate = new();
    private readonly IImageDataset _dataset;
    private readonly long _seed;
    private readonly MultiCropBatch[] _ring;
    private readonly LoaderSlotState[] _states;
    private readonly int[] _slotBatch;
    private readonly int[] _slotGeneration;
    private readonly int[] _order;
    private readonly Thread[] _workers;
    private readonly BatchShard _shard;

    // Guarded by _gate.
    private int _generation;
    private int _epoch;
    private bool _epochStarted;
    private int _nextToFill;
    private int _nextToHandOut;
    private bool _disposed;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Starts <paramref name="workerCount"/> workers; no batch is made before <see cref="StartEpoch"/>.</summary>
    /// <param name="dataset">The images.</param>
    /// <param name="config">The crop recipe.</param>
    /// <param name="batchSize">Images per batch (B).</param>
    /// <param name="seed">The seed every crop's and every epoch's random stream derives from.</param>
    /// <param name="workerCount">Threads that make batches.</param>
    /// <param name="prefetchDepth">Batches made ahead of the one the consumer holds; the ring holds max(prefetchDepth, workerCount) + 1 batches.</param>
    public MultiCropLoader(IImageDataset dataset, MultiCropConfig config, int batchSize, long seed, int workerCount, int prefetchDepth)
        : this(dataset, config, batchSize, seed, workerCount, prefetchDepth, new BatchShard(0, batchSize))
    {
    }

    /// <summary>
    /// As the other constructor, for one rank of a data-parallel run: every batch is the <paramref name="shard"/> of the
    /// global batch of <paramref name="batchSize"/> images, each image cropped from its own (seed, epoch, index) stream,
    /// so the shards of all ranks are exactly the batch one process would make.
    /// </summary>
    public MultiCropLoader(IImageDataset dataset, MultiCropConfig config, int batchSize, long seed, int workerCount, int prefetchDepth, BatchShard shard)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(config);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one image.");
        if (workerCount < 1) throw new ArgumentOutOfRangeException(nameof(workerCount), workerCount, "The loader needs at least one worker.");
        if (prefetchDepth < 1) throw new ArgumentOutOfRangeException(nameof(prefetchDepth), prefetchDepth, "The loader prepares at least one batch ahead.");
        if (dataset.Count < batchSize)
            throw new ArgumentException($"The dataset holds {dataset.Count} images, fewer than one batch of {batchSize} (the last incomplete batch is dropped).", nameof(batchSize));

        if (shard.Images < 1 || shard.Start < 0 || shard.Start + shard.Images > batchSize)
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"A shard is a non-empty range of the batch's {batchSize} positions.");

        _dataset = dataset;
        _seed = seed;
        _shard = shard;
        Augmentation = MultiCropAugmentation.ForDataset(config, dataset);
        BatchSize = batchSize;
        BatchesPerEpoch = dataset.Count / batchSize;
        _order = new int[dataset.Count];

        int ringSize = Math.Max(prefetchDepth, workerCount) + 1;
        _ring = new MultiCropBatch[ringSize];
        for (int s = 0; s < ringSize; s++)
            _ring[s] = new MultiCropBatch(this, s, shard.Images, dataset.Channels, config.GlobalSize, config.LocalSize, config.LocalCount);
        _states = new LoaderSlotState[ringSize];
        _slotBatch = new int[ringSize];
        _slotGeneration = new int[ringSize];

        _workers = new Thread[workerCount];
        for (int w = 0; w < workerCount; w++)
        {
            _workers[w] = new Thread(WorkerLoop) { IsBackground = true, Name = $"MultiCropLoader worker {w}" };
            _workers[w].Start();
        }
    }

    /// <summary>The crop recipe, bound to the dataset's image size and normalization.</summary>
    public MultiCropAugmentation Augmentation { get; }

    /// <summary>Images per global batch (B); a shard's batches hold <see cref="Shard"/>'s images of it.</summary>
    public int BatchSize { get; }

    /// <summary>The positions of each global batch this loader makes (all of them unless one rank's shard was asked for).</summary>
    public BatchShard Shard => _shard;

    /// <summary>Full batches per epoch: ⌊Count / B⌋.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Batches the ring holds: those being made, those ready, and those the consumer holds.</summary>
    public int RingSize => _ring.Length;

    /// <summary>
    /// Begins <paramref name="epoch"/> at batch <paramref name="firstBatch"/>: shuffles, and the workers start on that
    /// batch. A batch's bytes depend on (seed, epoch, position) only, so starting at batch k hands out exactly what
    /// batches k, k+1, … of a full epoch would be, without making the first k: a resume mid-epoch costs nothing.
    /// Batches of an earlier epoch that were made but not handed out are dropped; one the consumer still holds stays
    /// valid until released.
    /// </summary>
    public void StartEpoch(int epoch, int firstBatch = 0)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs start at 0.");
        if (firstBatch < 0 || firstBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(firstBatch), firstBatch, $"An epoch has batches 0 to {BatchesPerEpoch - 1}.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _generation++;
            _epoch = epoch;
            _epochStarted = true;
            _nextToFill = firstBatch;
            _nextToHandOut = firstBatch;
            EpochShuffle.Fill(_seed, epoch, _order);
            for (int s = 0; s < _ring.Length; s++)
                if (_states[s] == LoaderSlotState.Ready) _states[s] = LoaderSlotState.Free;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Waits for the epoch's next batch and hands it out; false once the epoch's batches are all handed out.
    /// An exception a worker met (a dataset read that failed) is thrown here.
    /// </summary>
    /// <exception cref="InvalidOperationException">No epoch was started, or the consumer holds the ring slot the next batch needs.</exception>
    public bool TryGetNext([NotNullWhen(true)] out MultiCropBatch? batch)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_epochStarted) throw new InvalidOperationException("Call StartEpoch before asking for batches.");
            batch = null;
            if (_nextToHandOut == BatchesPerEpoch) return false;
            int slot = _nextToHandOut % _ring.Length;
            while (!(_states[slot] == LoaderSlotState.Ready && _slotGeneration[slot] == _generation && _slotBatch[slot] == _nextToHandOut))
            {
                _failure?.Throw();
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_states[slot] == LoaderSlotState.Held)
                    throw new InvalidOperationException($"The consumer holds {_ring.Length} batches; release one before asking for the next.");
                Monitor.Wait(_gate);
            }
            _states[slot] = LoaderSlotState.Held;
            _nextToHandOut++;
            batch = _ring[slot];
            batch.MarkHeld();
            return true;
        }
    }

    /// <summary>Stops the workers and frees the buffers; batches handed out become invalid.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var worker in _workers) worker.Join();
        foreach (var batch in _ring) batch.FreeBuffers();
    }

    internal void Release(MultiCropBatch batch)
    {
        lock (_gate)
        {
            if (_states[batch.Slot] != LoaderSlotState.Held) throw new InvalidOperationException("The batch is not held by the consumer.");
            _states[batch.Slot] = LoaderSlotState.Free;
            Monitor.PulseAll(_gate);
        }
    }

    private void WorkerLoop()
    {
        var workspace = Augmentation.CreateWorkspace();
        var image = new byte[_dataset.Channels * _dataset.Height * _dataset.Width];
        while (true)
        {
            int slot, epoch, generation;
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed) return;
                    if (_epochStarted && _failure is null && _nextToFill < BatchesPerEpoch && _states[_nextToFill % _ring.Length] == LoaderSlotState.Free) break;
                    Monitor.Wait(_gate);
                }
                int batchIndex = _nextToFill++;
                slot = batchIndex % _ring.Length;
                epoch = _epoch;
                generation = _generation;
                _states[slot] = LoaderSlotState.Filling;
                _slotBatch[slot] = batchIndex;
                _slotGeneration[slot] = generation;
                var batch = _ring[slot];
                batch.Epoch = epoch;
                batch.BatchIndex = batchIndex;
                _order.AsSpan(batchIndex * BatchSize + _shard.Start, _shard.Images).CopyTo(batch.IndexArray);
            }

            Exception? failure = null;
            try
            {
                Fill(_ring[slot], epoch, workspace, image);
            }
            catch (Exception e)
            {
                failure = e;
            }

            lock (_gate)
            {
                if (failure is not null) _failure ??= ExceptionDispatchInfo.Capture(failure);
                // A batch of an epoch that was restarted meanwhile is not handed out.
                _states[slot] = failure is null && _slotGeneration[slot] == _generation ? LoaderSlotState.Ready : LoaderSlotState.Free;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Fill(MultiCropBatch batch, int epoch, AugmentationWorkspace workspace, byte[] image)
    {
        var augmentation = Augmentation;
        int globalLength = augmentation.CropLength(0);
        int localLength = augmentation.Config.LocalCount > 0 ? augmentation.CropLength(2) : 0;
        for (int b = 0; b < batch.BatchSize; b++)
        {
            int index = batch.IndexArray[b];
            batch.LabelArray[b] = _dataset.Label(index);
            _dataset.ReadImage(index, image);
            for (int crop = 0; crop < augmentation.CropCount; crop++)
            {
                var destination = crop < 2
                    ? batch.WritableCrop(global: true, crop, b, globalLength)
                    : batch.WritableCrop(global: false, crop - 2, b, localLength);
                augmentation.WriteCrop(image, _seed, epoch, index, crop, destination, workspace);
            }
        }
    }
}
