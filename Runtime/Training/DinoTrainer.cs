using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;

namespace DinoCompiled.Training;

/// <summary>
/// A whole DINO run of a compiled model, as <c>dino train</c> does it: the data opened and checked, the multi-crop
/// loader, the teacher evaluated (k-NN when there are labels, RankMe always) at initialization and after every epoch, an
/// atomic checkpoint, metrics.jsonl and training.png in the run folder. Construction checks everything that can be
/// checked before training (data, channels, batch, pretrained weights) and throws one-line errors;
/// <see cref="Run"/> trains.
/// </summary>
/// <example>
/// <code>
/// using var trainer = new DinoTrainer&lt;MyNet&gt;(new DinoTrainerOptions
/// {
///     Data = "photos",
///     Recipe = TrainingOptions.For(TrainingPreset.SmallData) with { Epochs = 10, BatchSize = 64 },
/// });
/// var result = await trainer.RunAsync(new ImmediateProgress&lt;TrainingProgress&gt;(Console.WriteLine), cancellationToken);
/// </code>
/// </example>
/// <typeparam name="TModel">A model class compiled by the generator (an annotated partial class).</typeparam>
public sealed class DinoTrainer<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private const int EvaluationBatch = 256;
    private readonly DinoTrainerOptions _options;
    private readonly LoaderBatches _batches;
    private readonly LoaderEvaluationImages _trainImages;
    private readonly LoaderEvaluationImages? _testImages;
    private readonly RunFolderWriter<TModel> _runFolder;
    // Notes raised before a run has a progress to report to (unreadable images met while opening the data).
    private readonly ConcurrentQueue<(TrainingProgressKind Kind, string Message)> _pendingNotes = new();
    private IProgress<TrainingProgress>? _progress;
    private bool _resumed;

    /// <summary>Opens the data and prepares the run (creating the run folder); nothing is trained and no file written until <see cref="Run"/>.</summary>
    /// <exception cref="ArgumentException">An option out of range.</exception>
    /// <exception cref="DatasetException">The data is missing, malformed, or (with <see cref="UnreadableImagePolicy.Stop"/>) holds an unreadable image.</exception>
    /// <exception cref="DinoTrainingException">The data does not fit the model or the batch, or the pretrained weights do not fit it.</exception>
    public DinoTrainer(DinoTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Data, nameof(options.Data));
        ArgumentNullException.ThrowIfNull(options.Recipe, nameof(options.Recipe));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DataWorkers, 1, nameof(options.DataWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSteps, 1, nameof(options.MaxSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPixels, 1, nameof(options.MaxPixels));
        if (options.Threads is int threads) ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(options.Threads));
        if (options.InitializeFrom is not null && options.ResumeFrom is not null)
            throw new ArgumentException("Give InitializeFrom (a new run from pretrained weights) or ResumeFrom (continue a run), not both.", nameof(options));
        _options = options;
        var description = TModel.Description;
        var a = description.Architecture;
        var recipe = options.Recipe;
        RunFolder = options.RunFolder ?? Path.Combine("runs", description.Name);

        var folderOptions = new ImageFolderOptions
        {
            Channels = a.Channels, Height = a.GlobalCrop, Width = a.GlobalCrop, UnreadablePolicy = options.OnUnreadable, MaxPixels = options.MaxPixels,
            OnUnreadableImage = image => Note(TrainingProgressKind.Warning, $"skipping unreadable image {image}"),
        };
        var (trainSet, testSet, dataDescription) = DatasetLocator.Open(options.Data, a.Channels, a.GlobalCrop, folderOptions);
        if (trainSet.Channels != a.Channels)
            throw new DinoTrainingException($"{description.Name} takes {a.Channels}-channel images but the data has {trainSet.Channels} channel(s)");
        // The k-NN sets: EvaluationData's when given, else Data's own; none for unlabeled data alone (RankMe still runs).
        // Evaluation images are normalized as the training images are, whatever set they come from.
        IImageDataset? knnTrain = testSet is null ? null : trainSet, knnTest = testSet;
        if (options.EvaluationData is not null)
        {
            var (evalTrain, evalTest, evalDescription) = DatasetLocator.Open(options.EvaluationData, a.Channels, a.GlobalCrop, folderOptions);
            if (evalTest is null)
                throw new DatasetException(options.EvaluationData, "a folder of unlabeled images; the k-NN evaluation needs labelled data (IDX files, or train/ and val/ class folders)");
            (knnTrain, knnTest) = (new DatasetSample(evalTrain, evalTrain.Count, trainSet.Normalization), new DatasetSample(evalTest, evalTest.Count, trainSet.Normalization));
            dataDescription += $"; k-NN on {evalDescription}";
        }
        DataDescription = dataDescription;
        HasLabels = knnTest is not null;

        var config = new MultiCropConfig
        {
            GlobalSize = a.GlobalCrop, LocalSize = a.LocalCrop, LocalCount = recipe.LocalCrops, Normalization = trainSet.Normalization,
            GlobalScale = new SamplingRange(recipe.GlobalCropsScale.Min, recipe.GlobalCropsScale.Max),
            LocalScale = new SamplingRange(recipe.LocalCropsScale.Min, recipe.LocalCropsScale.Max),
        };
        int workers = options.DataWorkers;
        if (trainSet.Count < recipe.BatchSize)
            throw new DinoTrainingException($"{trainSet.Count} training images make no full batch of {recipe.BatchSize}");
        var communicator = options.Communicator ?? Distributed.SingleProcess.Instance;
        if (recipe.BatchSize % communicator.Size != 0)
            throw new DinoTrainingException($"the batch of {recipe.BatchSize} images does not split into {communicator.Size} equal shards (one per rank); give a batch that is a multiple of {communicator.Size}");
        // Each rank's loader makes only its shard of every global batch, each image from its global index's random stream.
        var shard = BatchShard.Of(recipe.BatchSize, communicator.Rank, communicator.Size);
        var batches = new LoaderBatches(new MultiCropLoader(trainSet, config, recipe.BatchSize, recipe.Seed, workers, prefetchDepth: 3, shard));
        LoaderEvaluationImages? trainImages = null, testImages = null;
        Trainer<TModel>? engine = null;
        try
        {
            // Without labels, the evaluation reads only RankMe's fixed sample of the training images.
            trainImages = new LoaderEvaluationImages(knnTrain ?? new DatasetSample(trainSet, TrainingSession<TModel>.RankMeSample), a.GlobalCrop, EvaluationBatch, workers);
            testImages = knnTest is null ? null : new LoaderEvaluationImages(knnTest, a.GlobalCrop, EvaluationBatch, workers);
            engine = new Trainer<TModel>(recipe, batches.IterationsPerEpoch, communicator);
            if (options.InitializeFrom is not null)
            {
                try
                {
                    Initialization = PretrainedBackbone.Load(options.InitializeFrom, description.Parameters, engine.Student.Span, description.Name);
                }
                catch (CheckpointException exception)
                {
                    throw new DinoTrainingException(exception.Message, exception);
                }
                // The teacher starts as a copy of the student, as in any new run.
                engine.Student.Span.CopyTo(engine.Teacher.Span);
            }
            _runFolder = new RunFolderWriter<TModel>(engine, recipe, RunFolder, trainImages, testImages, options.OpenCheckpointFile);
        }
        catch
        {
            engine?.Dispose();
            testImages?.Dispose();
            trainImages?.Dispose();
            batches.Dispose();
            throw;
        }
        (_batches, _trainImages, _testImages, Engine) = (batches, trainImages, testImages, engine);
    }

    /// <summary>What the data is: its kind, counts and normalization, and the k-NN set.</summary>
    public string DataDescription { get; }

    /// <summary>Whether the run has labelled images to report k-NN accuracy on (RankMe is reported either way).</summary>
    public bool HasLabels { get; }

    /// <summary>Steps per epoch: full batches of the training set.</summary>
    public int StepsPerEpoch => _batches.IterationsPerEpoch;

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps => (long)_options.Recipe.Epochs * StepsPerEpoch;

    /// <summary>The run folder.</summary>
    public string RunFolder { get; }

    /// <summary>The checkpoint each epoch (and a stop) writes.</summary>
    public string CheckpointPath => _runFolder.CheckpointPath;

    /// <summary>What <see cref="DinoTrainerOptions.InitializeFrom"/> loaded; null without it.</summary>
    public PretrainedBackboneReport? Initialization { get; }

    /// <summary>
    /// The step engine: weights, optimizer state and schedules in flat buffers. For hosts that need more than the
    /// options (an accelerator, reading the teacher between runs); the run owns it.
    /// </summary>
    public Trainer<TModel> Engine { get; }

    /// <summary>
    /// Trains to the end of the recipe's last epoch, or until <see cref="DinoTrainerOptions.MaxSteps"/> or
    /// <paramref name="cancellationToken"/>. A cancelled run finishes the step in flight, writes a checkpoint to resume
    /// from and returns with <see cref="TrainingResult.Stopped"/> set: a stop is a normal end of a training run, not a
    /// failure, so it does not throw.
    /// </summary>
    /// <param name="progress">Receives every step, every evaluation and notes; called on the training thread.</param>
    /// <param name="cancellationToken">Stops the run after the step in flight, with a checkpoint.</param>
    /// <exception cref="DinoTrainingException">A checkpoint of another run to resume, or a run-folder file that cannot be written (earlier checkpoints stay intact).</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite.</exception>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int previousThreads = CpuParallel.ThreadCount;
        if (_options.Threads is int threads) CpuParallel.ThreadCount = threads;
        _progress = progress;
        _runFolder.Progress = progress;
        try
        {
            while (_pendingNotes.TryDequeue(out var note)) Note(note.Kind, note.Message);
            if (_options.ResumeFrom is not null && !_resumed)
            {
                _runFolder.Resume(_options.ResumeFrom);
                _resumed = true;
                Note(TrainingProgressKind.Note, $"resumed from {_options.ResumeFrom} at step {Engine.Step} (epoch {Engine.Epoch})");
            }
            var session = new TrainingSession<TModel>(Engine, _options.Recipe, _batches, _trainImages, _testImages, _runFolder);
            var evaluations = session.Run(_options.EvaluateInitialization, _options.MaxSteps, cancellationToken);
            return new TrainingResult { Evaluations = evaluations, CheckpointPath = CheckpointPath, Steps = Engine.Step, Stopped = session.Stopped };
        }
        finally
        {
            _progress = null;
            _runFolder.Progress = null;
            CpuParallel.ThreadCount = previousThreads;
        }
    }

    /// <summary>As <see cref="Run"/>, on a thread of its own (training is long and compute-bound).</summary>
    public Task<TrainingResult> RunAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(progress, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Releases the loader threads and the native buffers.</summary>
    public void Dispose()
    {
        Engine.Dispose();
        _testImages?.Dispose();
        _trainImages.Dispose();
        _batches.Dispose();
    }

    private void Note(TrainingProgressKind kind, string message)
    {
        if (_progress is { } progress)
            progress.Report(new TrainingProgress { Kind = kind, Step = Engine.Step, TotalSteps = TotalSteps, Epochs = _options.Recipe.Epochs, Message = message });
        else
            _pendingNotes.Enqueue((kind, message));
    }
}
