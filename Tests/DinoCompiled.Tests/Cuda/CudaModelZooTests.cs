using System.Collections.Generic;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>The hand-written list of zoo models with CUDA modules names every model of the generated catalog, each with its own class.</summary>
public sealed class CudaModelZooTests
{
    private sealed class NameRecorder : ICudaModelVisitor
    {
        public List<string> Names { get; } = new();

        public void Visit<TModel>() where TModel : ICudaDinoModel => Names.Add(TModel.Description.Name + "|" + TModel.CudaModule.ModelName);
    }

    private sealed class Bf16Recorder : ICudaModelVisitor
    {
        public string? Unsupported { get; private set; } = "not visited";

        public void Visit<TModel>() where TModel : ICudaDinoModel => Unsupported = TModel.Bf16TrainingUnsupported;
    }

    /// <summary>Every zoo model (head dim 64) gets the bf16 training schedules, the GPU default; a head dim flash attention's backward does not serve says why.</summary>
    [Fact]
    public void ZooModelsHaveBf16TrainingSchedulesAndWideHeadsSayWhyNot()
    {
        foreach (var model in ModelZoo.All)
        {
            var recorder = new Bf16Recorder();
            CudaModelZoo.Visit(model.Name, recorder);
            Assert.True(recorder.Unsupported is null, model.Name + ": " + recorder.Unsupported);
        }
        Assert.Equal("The bf16 training schedule needs flash attention's backward, which serves head dims up to 64 divisible by 8, not 88.",
            DinoCompiled.TestModels.Sweep.Sweep176.Bf16TrainingUnsupported);
        Assert.Throws<System.NotSupportedException>(() => DinoCompiled.TestModels.Sweep.Sweep176.Backbone32ForwardCudaBf16(default, null!));
    }

    [Fact]
    public void EveryZooModelHasItsCudaClass()
    {
        foreach (var model in ModelZoo.All)
        {
            var recorder = new NameRecorder();
            Assert.True(CudaModelZoo.Visit(model.Name, recorder), model.Name + " is missing from CudaModelZoo");
            Assert.Equal(model.Name + "|" + model.Name, Assert.Single(recorder.Names));
        }
        Assert.False(CudaModelZoo.Visit("vit-huge-14", new NameRecorder()));
    }
}
