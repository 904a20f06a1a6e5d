using System;
using System.Diagnostics;
using System.Threading;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// A whole run: k-NN and RankMe at initialization, then for each epoch the steps (resuming mid-epoch if the trainer's
/// step says so), the collapse signal, k-NN and RankMe on the teacher's features, and a checkpoint.
/// With several ranks, every rank steps, rank 0 alone evaluates (the others wait at a barrier that does not spin), and
/// the ranks agree on a stop before each step, so that none is left waiting in a collective the others never call.
/// </summary>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class TrainingSession<TModel> where TModel : ICompiledDinoModel
{
    private const int EvaluationBatch = 256;
    private readonly Trainer<TModel> _trainer;
    private readonly TrainingOptions _options;
    private readonly ITrainingBatches _batches;
    private readonly IEvaluationImages _train;
    private readonly IEvaluationImages? _test;
    private readonly IRunCallbacks _callbacks;

    /// <summary>
    /// A session over a trainer, its batches, the evaluation sets and the host's callbacks. <paramref name="test"/> null:
    /// no labels, so no k-NN; <paramref name="train"/> is then only RankMe's sample of the training images.
    /// </summary>
    public TrainingSession(Trainer<TModel> trainer, TrainingOptions options, ITrainingBatches batches, IEvaluationImages train, IEvaluationImages? test, IRunCallbacks callbacks)
    {
        _trainer = trainer;
        _options = options;
        _batches = batches;
        _train = train;
        _test = test;
        _callbacks = callbacks;
    }

    /// <summary>Whether the last <see cref="Run"/> stopped before the end of its last epoch.</summary>
    public bool Stopped { get; private set; }

    /// <summary>At most this many training images, evenly spaced over the set, give the RankMe of each evaluation.</summary>
    public const int RankMeSample = 2048;

    /// <summary>
    /// k-NN top-1 of the teacher's features now (NaN without labels), and their RankMe (effective rank, label-free) on
    /// a fixed sample of the training images: the same images every epoch, spread over the set so that a class-ordered
    /// folder is sampled across its classes.
    /// </summary>
    public (double KnnTopOne, double RankMe) Evaluate()
    {
        using var extractor = new FeatureExtractor<TModel>(EvaluationBatch);
        var trainFeatures = Extract(extractor, _train);
        int d = extractor.Dimension, sample = Math.Min(RankMeSample, _train.Count);
        var sampled = new float[(long)sample * d];
        for (int i = 0; i < sample; i++)
            trainFeatures.AsSpan(checked((int)((long)i * _train.Count / sample) * d), d).CopyTo(sampled.AsSpan(i * d, d));
        double rankMe = Evaluation.RankMe.Compute(sampled, sample, d);
        if (_test is null) return (double.NaN, rankMe);
        var testFeatures = Extract(extractor, _test);
        return (_callbacks.KnnTopOne(trainFeatures, _train, testFeatures, _test, d), rankMe);
    }

    /// <summary>
    /// Runs from the trainer's current step to the end of the last epoch, or until step <paramref name="stopAtStep"/>
    /// is done or <paramref name="stop"/> is signalled, whichever comes first; a run stopped mid-epoch writes a
    /// checkpoint at the step it reached, so <c>--resume</c> continues it exactly. Returns the evaluations' reports.
    /// </summary>
    public System.Collections.Generic.List<EpochReport> Run(bool evaluateInitialization, long stopAtStep = long.MaxValue, CancellationToken stop = default)
    {
        var reports = new System.Collections.Generic.List<EpochReport>();
        double logK = Math.Log(TModel.Description.Architecture.Head.OutDim);
        var communicator = _trainer.Communicator;
        bool lead = communicator.Rank == 0;
        if (evaluateInitialization && _trainer.Step == 0)
        {
            if (lead)
            {
                var (knn, rankMe) = Evaluate();
                var initial = new EpochReport(-1, double.NaN, logK, knn, 0, null) { RankMe = rankMe };
                reports.Add(initial);
                _callbacks.EpochDone(initial);
            }
            communicator.Barrier();
        }

        int perEpoch = _batches.IterationsPerEpoch;
        long total = (long)_options.Epochs * perEpoch;
        var clock = Stopwatch.StartNew();
        long startStep = _trainer.Step;
        Stopped = false;
        // With several ranks the stop is agreed inside the loop, before each step, never by one rank alone.
        while (_trainer.Step < total && _trainer.Step < stopAtStep && !(communicator.Size == 1 && stop.IsCancellationRequested))
        {
            int epoch = _trainer.Epoch;
            _batches.Seek(epoch, (int)(_trainer.Step % perEpoch));
            double lossSum = 0;
            var monitor = new Evaluation.CollapseMonitor(TModel.Description.Architecture.Head.OutDim);
            _trainer.Monitor = monitor;
            int count = 0;
            var epochClock = Stopwatch.StartNew();
            long epochStartStep = _trainer.Step;
            while (_trainer.Step < (long)(epoch + 1) * perEpoch)
            {
                if (_trainer.Step >= stopAtStep || AnyRankStops(communicator, stop))
                {
                    _trainer.Monitor = null;
                    _trainer.PullFromAccelerator();
                    _callbacks.SaveCheckpoint();
                    break;
                }
                var (global, local) = _batches.Next();
                var report = _trainer.TrainStep(global, local);
                lossSum += report.Loss;
                count++;
                double rate = (_trainer.Step - startStep) * (double)_options.BatchSize / clock.Elapsed.TotalSeconds;
                var remaining = TimeSpan.FromSeconds((total - _trainer.Step) * (double)_options.BatchSize / Math.Max(rate, 1e-9));
                _callbacks.StepDone(report, rate, remaining);
            }
            if (_trainer.Step < (long)(epoch + 1) * perEpoch) break;
            double imagesPerSecond = (_trainer.Step - epochStartStep) * (double)_options.BatchSize / epochClock.Elapsed.TotalSeconds;
            double meanLoss = lossSum / Math.Max(1, count);
            _trainer.Monitor = null;
            _trainer.PullFromAccelerator();
            _callbacks.SaveCheckpoint();
            if (lead)
            {
                var (epochKnn, epochRankMe) = Evaluate();
                var epochReport = new EpochReport(epoch, meanLoss, logK, epochKnn, imagesPerSecond,
                    monitor.BatchCount > 0 ? monitor.Statistics : null) // none when a resume left too few steps of the epoch
                { RankMe = epochRankMe };
                reports.Add(epochReport);
                _callbacks.EpochDone(epochReport);
            }
            communicator.Barrier();
        }
        Stopped = _trainer.Step < total;
        return reports;
    }

    /// <summary>Whether any rank was asked to stop (a signal reaches the ranks at different steps): all ranks then stop together.</summary>
    private static bool AnyRankStops(Distributed.ICommunicator communicator, CancellationToken stop)
    {
        if (communicator.Size == 1) return stop.IsCancellationRequested;
        double flag = stop.IsCancellationRequested ? 1 : 0;
        communicator.AllReduceSum(&flag, 1);
        return flag > 0;
    }

    private float[] Extract(FeatureExtractor<TModel> extractor, IEvaluationImages images)
    {
        var features = new float[(long)images.Count * extractor.Dimension];
        foreach (var (start, count, batch) in images.Batches(EvaluationBatch))
            extractor.Run(_trainer.Teacher.Ptr, batch, count, features.AsSpan(start * extractor.Dimension, count * extractor.Dimension));
        return features;
    }
}
