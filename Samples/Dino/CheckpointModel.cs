using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary>The model a training checkpoint was written for, and its teacher's weights, with one-line errors.</summary>
public static class CheckpointModel
{
    /// <summary>
    /// Visits the model named by the metadata of the command's <c>--checkpoint</c>: a zoo model, or with
    /// <c>--models DLL</c> one of that assembly's.
    /// </summary>
    public static void Visit(string command, CommandOptions options, IDinoModelVisitor visitor)
    {
        string checkpoint = options.Text("--checkpoint");
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
        if (options.Has("--models"))
        {
            var assembly = ModelAssembly.Load(options.Text("--models"));
            assembly.Visit(assembly.Resolve(model), visitor);
        }
        else if (ModelZoo.Find(model) is { } zoo)
            ModelZoo.Visit(zoo.Name, visitor);
        else
            throw new CliException($"{command}: {checkpoint} is a checkpoint of '{model}', which is not in the zoo; give the assembly that compiles it with --models DLL");
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
