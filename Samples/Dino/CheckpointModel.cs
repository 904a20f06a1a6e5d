using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary>The model a training checkpoint was written for, and its teacher's weights, with one-line errors.</summary>
public static class CheckpointModel
{
    /// <summary>Visits the zoo model named by <paramref name="checkpoint"/>'s metadata.</summary>
    public static void Visit(string command, string checkpoint, IDinoModelVisitor visitor)
    {
        string model;
        try
        {
            using var file = SafetensorsFile.Open(checkpoint);
            model = file.Metadata.TryGetValue(TrainingCheckpoint.ModelMetadataKey, out var m) ? m
                : throw new CliException($"{command}: {checkpoint} names no model; is it a training checkpoint?");
        }
        catch (IOException exception)
        {
            throw new CliException($"{command}: {exception.Message}");
        }
        ModelZoo.Visit(ModelResolver.Resolve(model).Name, visitor);
    }

    /// <summary>The teacher's flat parameters of <paramref name="checkpoint"/>.</summary>
    public static NativeBuffer LoadTeacher<TModel>(string checkpoint) where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var teacher = new NativeBuffer(description.Parameters.FlatLength);
        try
        {
            TrainingCheckpoint.LoadParameters(checkpoint, description.Parameters, description.Name, teacher.Span, teacher: true);
            return teacher;
        }
        catch (IOException exception)
        {
            teacher.Dispose();
            throw new CliException(exception.Message);
        }
    }
}
