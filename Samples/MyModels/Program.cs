using System;
using System.Threading;
using DinoCompiled.Training;
using MyModels;

// Trains MyNet with DINO on a folder of images (any formats and sizes, no labels needed):
//   dotnet run -c Release --project Samples/MyModels -- IMAGE_FOLDER [EPOCHS]
if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], out _)))
{
    Console.Error.WriteLine("usage: MyModels IMAGE_FOLDER [EPOCHS]");
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); }; // Ctrl+C stops after the step, with a checkpoint

using var trainer = new DinoTrainer<MyNet>(new DinoTrainerOptions
{
    Data = args[0],
    RunFolder = "runs/my-net",
    Recipe = TrainingOptions.For(TrainingPreset.SmallData) with { Epochs = args.Length > 1 ? int.Parse(args[1]) : 10, BatchSize = 32, LocalCrops = 6 },
});
Console.WriteLine($"{MyNet.Description.Name}: {MyNet.Description.Parameters.TotalCount:N0} parameters; {trainer.DataDescription}");
var progress = new ImmediateProgress<TrainingProgress>(p =>
{
    if (p.Kind != TrainingProgressKind.Step || p.Step % 20 == 0) Console.WriteLine(p);
});
var result = await trainer.RunAsync(progress, stop.Token);
Console.WriteLine($"{(result.Stopped ? "stopped" : "done")} at step {result.Steps}: RankMe {result.Final?.RankMe:F1}; checkpoint {result.CheckpointPath}");
return 0;
