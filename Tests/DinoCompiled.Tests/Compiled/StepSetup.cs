using System;
using DinoCompiled.Compiled;
using DinoCompiled.Training;

namespace DinoCompiled.Tests.Compiled;

/// <summary>A compiled DINO step on random weights, crops and drop-path scales, for tests of the step as a whole.</summary>
internal sealed unsafe class StepSetup<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly StepInputs _inputs;
    private readonly NativeBuffer _global, _local, _globalDrop, _localDrop;

    public StepSetup(int batch, int localCrops, int seed)
    {
        var a = TModel.Description.Architecture;
        var table = TModel.Description.Parameters;
        var random = new Random(seed);
        Student = new NativeBuffer(table.FlatLength);
        Teacher = new NativeBuffer(table.FlatLength);
        Gradients = new NativeBuffer(table.FlatLength);
        Center = new NativeBuffer(a.Head.OutDim);
        ParameterInitializer.Initialize(Student.Data, table, seed);
        ParameterInitializer.Initialize(Teacher.Data, table, seed + 1);
        _global = Random(2L * batch * a.Channels * a.GlobalCrop * a.GlobalCrop, random);
        _local = Random((long)localCrops * batch * a.Channels * a.LocalCrop * a.LocalCrop, random);
        _globalDrop = DropScales(a, 2 * batch, random);
        _localDrop = DropScales(a, localCrops * batch, random);
        Step = new DinoStep<TModel>(batch, localCrops);
        _inputs = new StepInputs
        {
            GlobalCrops = _global.Ptr, LocalCrops = _local.Ptr, GlobalDropScales = _globalDrop.Ptr, LocalDropScales = _localDrop.Ptr,
            Center = Center.Ptr, StudentTemperature = 0.1f, TeacherTemperature = 0.04f,
        };
    }

    public NativeBuffer Student { get; }
    public NativeBuffer Teacher { get; }
    public NativeBuffer Gradients { get; }
    public NativeBuffer Center { get; }
    public DinoStep<TModel> Step { get; }

    public double Run() => Step.Run(Student.Ptr, Teacher.Ptr, Gradients.Ptr, Gradients.Length, _inputs);

    private static NativeBuffer Random(long count, Random random)
    {
        var buffer = new NativeBuffer(count);
        var span = buffer.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)ParameterInitializer.StandardNormal(random);
        return buffer;
    }

    private static NativeBuffer DropScales(ArchitectureInfo a, int units, Random random)
    {
        var buffer = new NativeBuffer(2L * a.Depth * units);
        var span = buffer.Span;
        for (int block = 0; block < a.Depth; block++)
            for (int i = 0; i < 2 * units; i++)
            {
                double rate = a.Blocks[block].DropPath;
                span[2 * block * units + i] = rate == 0 || random.NextDouble() >= rate ? (float)(1 / (1 - rate)) : 0f;
            }
        return buffer;
    }

    public void Dispose()
    {
        foreach (var buffer in new[] { Student, Teacher, Gradients, Center, _global, _local, _globalDrop, _localDrop }) buffer.Dispose();
        Step.Dispose();
    }
}
