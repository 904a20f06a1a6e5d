using System;
using System.Collections.Generic;
using System.Globalization;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// What <c>--help</c> says: one line per command and one per option, with its default. Defaults that come from the
/// recipe are read from <see cref="TrainingOptions"/>, so the help cannot drift from what a run does. An option is
/// looked up as "command option" first (an option that means something else there), then by its name alone.
/// </summary>
public static class CommandHelp
{
    private static readonly TrainingOptions Recipe = new();
    private static readonly TrainingOptions SmallData = TrainingOptions.For(TrainingPreset.SmallData);

    /// <summary>One line per command.</summary>
    public static readonly IReadOnlyDictionary<string, string> Commands = new Dictionary<string, string>
    {
        ["inspect"] = "The compiled model: parameters, FLOPs, CPU and GPU memory plans; with --gpu, the predicted step on that GPU.",
        ["models"] = "The models in the zoo.",
        ["train"] = "Train DINO and report the teacher's k-NN accuracy after every epoch; writes a checkpoint, metrics.jsonl and training.png.",
        ["eval"] = "Evaluate a checkpoint's teacher.",
        ["eval knn"] = "Weighted k-NN of a checkpoint's teacher features (the reference's eval_knn).",
        ["eval linear"] = "A linear classifier on the frozen teacher's features (the reference's eval_linear), top-1 and top-5, saved as safetensors.",
        ["features"] = "Teacher features as a NumPy .npy file: CLS, patch or all tokens of chosen blocks.",
        ["attention"] = "The teacher's CLS-to-patch attention per head and the mean, over each image, as a PNG.",
        ["pca"] = "The first three principal components of the teacher's patch features as RGB beside each image (DINOv2's figure).",
        ["retrieve"] = "The gallery images nearest a query by cosine similarity of the teacher's CLS features, as text and a PNG.",
        ["export"] = "Export a checkpoint's teacher.",
        ["export onnx"] = "The teacher backbone as a standard ONNX model (opset 17 or newer, dynamic batch) for ONNX Runtime and other runtimes.",
        ["export backbone"] = "The teacher backbone under timm/DINO keys (cls_token, blocks.0.attn.qkv.weight, ...) as safetensors: what --init-from reads.",
        ["bench"] = "Benchmarks.",
        ["bench step"] = "Time whole DINO training steps, against PyTorch eager when it is installed.",
        ["gpu"] = "GPU commands.",
        ["gpu check"] = "The GPU against the CPU per tensor in fp32/tf32/bf16, then the ViT-S/16 step timed and predicted.",
    };

    private static readonly Dictionary<string, string> Options = new()
    {
        // train: the recipe (DINO-SPEC.md), every default from TrainingOptions.
        ["--model"] = "The zoo model to train ('dino models' lists them), or with --models one of that assembly's. Default: fmnist-tiny (with --models: its only model).",
        ["--models"] = "A .NET assembly of your own compiled models (a project referencing DinoCompiled, e.g. bin/Release/net10.0/MyModels.dll), for a model that is not in the zoo: the one --model names, or the one a checkpoint names.",
        ["--data"] = "IDX files (Fashion-MNIST/MNIST), an image folder with train/ and val/ (or test/) class folders, or a folder of unlabeled images (recursive; normalization measured on a sample). Default: the bundled Fashion-MNIST subset.",
        ["--eval-data"] = "Labelled data for the k-NN evaluation, as for --data (IDX or class folders), normalized as the training images. Default: --data's own labels; none for unlabeled data (RankMe is reported either way).",
        ["--preset"] = "The defaults the other options start from: standard (the reference's recipe, the defaults below) or small-data (for thousands to a few " +
                       $"hundred thousand images: --momentum-teacher {F(SmallData.TeacherMomentum)}, --lr {F(SmallData.LearningRate)}, teacher temperature " +
                       $"{F(SmallData.WarmupTeacherTemperature)} rising to {F(SmallData.TeacherTemperature)} over {SmallData.WarmupTeacherTemperatureEpochs} epochs). Default: standard.",
        ["--epochs"] = $"Epochs. Default: {Recipe.Epochs}.",
        ["--batch"] = $"Images per step. Default: {Recipe.BatchSize}.",
        ["--local-crops"] = $"Local crops per image, besides the 2 global ones. Default: {Recipe.LocalCrops}.",
        ["--lr"] = $"Base learning rate, scaled by batch / 256. Default: {F(Recipe.LearningRate)}.",
        ["--min-lr"] = $"Learning rate at the end of the cosine schedule. Default: {F(Recipe.MinLearningRate)}.",
        ["--warmup-epochs"] = "Linear learning-rate warm-up epochs. Default: 10, at most a quarter of the run.",
        ["--weight-decay"] = $"Weight decay at the start (cosine to --weight-decay-end). Default: {F(Recipe.WeightDecay)}.",
        ["--weight-decay-end"] = $"Weight decay at the end. Default: {F(Recipe.WeightDecayEnd)}.",
        ["--clip-grad"] = $"Per-tensor gradient norm clip (0: none). Default: {F(Recipe.ClipGrad)}.",
        ["--freeze-last-layer"] = $"Epochs the head's last layer stays frozen. Default: {Recipe.FreezeLastLayerEpochs}.",
        ["--momentum-teacher"] = $"Teacher EMA momentum at the start (cosine to 1). Default: {F(Recipe.TeacherMomentum)}.",
        ["--teacher-temp"] = $"Teacher temperature after the warm-up. Default: {F(Recipe.TeacherTemperature)}.",
        ["--warmup-teacher-temp"] = $"Teacher temperature at the start. Default: {F(Recipe.WarmupTeacherTemperature)}.",
        ["--warmup-teacher-temp-epochs"] = $"Epochs of the teacher temperature's linear warm-up. Default: {Recipe.WarmupTeacherTemperatureEpochs}.",
        ["--student-temp"] = $"Student temperature. Default: {F(Recipe.StudentTemperature)}.",
        ["--seed"] = $"Seed of every random draw (crops, drop path, initialization). Default: {Recipe.Seed}.",
        ["--threads"] = "Compute threads. Default: the processor count.",
        ["--workers"] = "Data-loading threads. Default: 2.",
        ["--knn-k"] = $"Neighbours of the k-NN evaluation. Default: {Recipe.KnnK}.",
        ["--knn-t"] = $"Temperature of the k-NN's weights. Default: {F(Recipe.KnnTemperature)}.",
        ["--on-unreadable"] = "What a corrupt or unreadable image does: stop (a one-line error naming it) or skip (reported, left out). Default: stop.",
        ["--max-megapixels"] = "An image larger than this (read from its header, before decoding) is unreadable: reported, then skipped or the run stops (--on-unreadable). Default: 64.",
        ["--max-steps"] = "Stop after this many steps in all, with a checkpoint to --resume from. Default: the whole run.",
        ["--distributed"] = "auto (MPI when mpirun started the process: `mpirun -np N dino train ...` trains one model on N ranks, each on its shard of every batch), mpi, or none (one process). Default: auto.",
        ["--device"] = "cpu, cuda or auto (the GPU when a CUDA driver and device are there). Default: auto.",
        ["--precision"] = "The GPU step's precision: bf16 (the bf16 schedules: bf16 activations on tensor cores, flash attention, fp32 master weights), tf32 or fp32 (the fp32 schedules with that GEMM compute type), or auto: bf16 where the model's bf16 schedules exist, else tf32. Default: auto.",
        ["--progress"] = "auto (live on a terminal, a plain line every 15 s when standard error is redirected), live, plain or none. Default: auto.",
        ["--no-init-eval"] = "Skip the k-NN evaluation before the first step.",
        ["--out"] = "The output file.",
        ["train --out"] = "The run folder (checkpoint.safetensors, metrics.jsonl, training.png). Default: runs/MODEL.",
        ["--init-from"] = "Start the backbone from these weights: a backbone in timm/DINO keys (safetensors; 'module.'/'backbone.' prefixes stripped) or a training checkpoint's teacher; another position grid is resized bicubically.",
        ["--resume"] = "Continue the run of this checkpoint exactly (same options and seed), mid-epoch too.",
        // Evaluation and looking.
        ["--checkpoint"] = "A training checkpoint (its teacher is used).",
        ["eval knn --data"] = "The labelled data to evaluate on, as for train. Default: the bundled Fashion-MNIST subset.",
        ["features --data"] = "The data to extract from, as for train. Default: the bundled Fashion-MNIST subset.",
        ["eval linear --data"] = "The labelled data, as for train (train split to fit, test split to report). Default: the bundled Fashion-MNIST subset.",
        ["--last-blocks"] = "Concatenate the CLS tokens of this many last blocks, each through the final norm. Default: 4 (or the depth).",
        ["--avgpool"] = "Also concatenate the average of the last block's patch tokens.",
        ["--optimizer"] = "sgd (momentum 0.9, as the reference) or adamw. Default: sgd.",
        ["eval linear --epochs"] = "Epochs over the features. Default: 100.",
        ["eval linear --batch"] = "Features per step. Default: 256.",
        ["--lrs"] = "Base learning rates to sweep (scaled by batch / 256), comma-separated; the best on the validation share is retrained on all. Default: 0.001,0.003,0.01,0.03,0.1,0.3,1.",
        ["eval linear --weight-decay"] = "Weight decay. Default: 0.",
        ["--val-fraction"] = "Share of the training features held out to choose the learning rate. Default: 0.1.",
        ["eval linear --seed"] = "Seed of the split, the shuffles and the initial weights. Default: 0.",
        ["--no-standardize"] = "Train on the raw features instead of standardized ones.",
        ["eval linear --out"] = "Save the classifier here (safetensors: weight [classes, dim], bias [classes]).",
        ["--k"] = "Neighbours. Default: 20.",
        ["--t"] = "Temperature of the neighbours' weights. Default: 0.07.",
        ["--split"] = "train or test. Default: train.",
        ["--tokens"] = "cls, patch or all (CLS first, then the patches in row-major order). Default: cls.",
        ["--blocks"] = "Blocks to take, comma-separated from 0 (negative counts from the end); each through the final norm. Default: the last.",
        ["--image"] = "One image file (JPEG, PNG, BMP, GIF, TGA, TIFF or WebP).",
        ["--images"] = "A folder: every image under it (JPEG, PNG, BMP, GIF, TGA, TIFF, WebP), recursively.",
        ["--threshold"] = "attention: also show the patches holding this share of the attention mass (the reference uses 0.6). pca: the first component's foreground cut, in standard deviations (default 0).",
        ["--block"] = "The block whose attention is shown (negative counts from the end). Default: the last.",
        ["--mean"] = "Per-channel mean to normalize the images with, comma-separated. Default: ImageNet's.",
        ["--std"] = "Per-channel standard deviation, comma-separated. Default: ImageNet's.",
        ["--no-mask"] = "Color every patch from one PCA instead of separating the foreground first.",
        ["--gallery"] = "The folder to search: every image under it, recursively.",
        ["--query"] = "The image to find neighbours of.",
        ["--top"] = "Neighbours to show. Default: 8.",
        ["--cache"] = "Where the gallery's features are cached. Default: DIR.dino-features.safetensors beside the gallery.",
        ["retrieve --out"] = "Also draw the query and its neighbours as a PNG contact sheet here.",
        ["export onnx --out"] = "The .onnx file to write (atomically).",
        ["export backbone --out"] = "The .safetensors file to write (atomically).",
        ["--crop"] = "The input side in pixels, a multiple of the patch size; the position grid is resized bicubically. Default: the model's global crop.",
        ["export onnx --tokens"] = "cls (output [batch, D]) or all (output [batch, tokens, D], CLS first), after the final norm. Default: cls.",
        ["--opset"] = "The ONNX opset the file declares, at least 17 (LayerNormalization). Default: 17.",
        // inspect, bench, gpu.
        ["--gpu"] = "Price a DINO step on this GPU: h100 or h200.",
        ["inspect --batch"] = "Images per step of the predicted GPU step. Default: 64.",
        ["--locals"] = "Local crops per image of the predicted GPU step. Default: 10.",
        ["--no-table"] = "Leave out the parameter table.",
        ["bench step --model"] = "The zoo model to time.",
        ["bench step --batch"] = "Images per step. Default: 128.",
        ["bench step --local-crops"] = "Local crops per image. Default: 6.",
        ["--steps"] = "Timed steps. Default: 10.",
        ["--warmup"] = "Untimed steps first. Default: 2 (gpu check: 3).",
        ["--no-torch"] = "Do not time PyTorch.",
        ["--models"] = "Models to check, comma-separated. Default: fmnist-tiny,vit-small-16.",
        ["--modes"] = "Precisions to check, comma-separated. Default: fp32,tf32,bf16.",
        ["gpu check --batch"] = "Images per timed step. Default: 64.",
        ["gpu check --local-crops"] = "Local crops per image of the timed step. Default: 10.",
        ["--timing-model"] = "The model of the timed step. Default: vit-small-16.",
        ["--no-timing"] = "Check conformance only.",
        ["--json"] = "Also write the results as JSON here.",
    };

    /// <summary>The help line of <paramref name="option"/> of <paramref name="command"/>.</summary>
    public static string For(string command, string option) =>
        Options.TryGetValue(command + " " + option, out var specific) ? specific
        : Options.TryGetValue(option, out var general) ? general
        : throw new InvalidOperationException($"{command} {option} has no help line");

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
