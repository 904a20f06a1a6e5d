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
