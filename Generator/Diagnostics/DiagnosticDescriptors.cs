using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Ids: DINO0xxx declarations and attributes, DINO1xxx shapes,
/// DINO2xxx backends, DINO9xxx internal errors. Message arguments are always strings. Documented in docs/DIAGNOSTICS.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "DinoCompiled.Declaration";
    private const string Shape = "DinoCompiled.Shape";
    private const string Backend = "DinoCompiled.Backend";
    private const string Internal = "DinoCompiled.Internal";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error("DINO0001", Declaration,
        "Model class is not partial",
        "Model class '{0}' must be declared partial, so that the generator can add its compiled members");

    public static readonly DiagnosticDescriptor UnsupportedClassShape = Error("DINO0002", Declaration,
        "Model class has an unsupported form",
        "Model class '{0}' must be a non-generic, non-static, top-level class, but it is {1}");

    public static readonly DiagnosticDescriptor ConflictingDeclarations = Error("DINO0003", Declaration,
        "Conflicting model declarations",
        "[{0}] cannot be combined with [{1}] on '{2}': {3}");

    public static readonly DiagnosticDescriptor MissingHead = Error("DINO0004", Declaration,
        "Model has no DINO head",
        "'{0}' declares a backbone but no head: add [DinoHead(OutDim = ..., Hidden = ..., Bottleneck = ...)] to the class");

    public static readonly DiagnosticDescriptor HeadWithoutBackbone = Error("DINO0005", Declaration,
        "DINO head without a backbone",
        "[DinoHead] on class '{0}' needs a backbone: add [VisionTransformer] to the class, or declare the model with [DinoModel] and put [DinoHead] on a member after the final [LayerNorm]");

    public static readonly DiagnosticDescriptor LayerOutsideModel = Error("DINO0006", Declaration,
        "Layer outside a model",
        "[{0}] on '{1}' is not part of a model: add [DinoModel] to the class '{2}'");

    public static readonly DiagnosticDescriptor LayerOutOfOrder = Error("DINO0007", Declaration,
        "Layers out of order",
        "[{0}] is declared before [{1}], but the layers run PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock..., LayerNorm, then the head (DinoHead, or Linear/Gelu..., L2Normalize, WeightNormalizedLinear)");

    public static readonly DiagnosticDescriptor DuplicateLayer = Error("DINO0008", Declaration,
        "Layer declared twice",
        "[{0}] is declared twice in '{1}': a model has exactly one {2}");

    public static readonly DiagnosticDescriptor MissingLayer = Error("DINO0009", Declaration,
        "Model lacks a layer",
        "'{0}' has no [{1}] layer: {2}");

    public static readonly DiagnosticDescriptor UnknownLayer = Error("DINO0010", Declaration,
        "Unknown layer",
        "[{0}] is not a layer the DinoCompiled generator knows; the layers are PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock, LayerNorm, DinoHead, Linear, Gelu, L2Normalize and WeightNormalizedLinear");

    public static readonly DiagnosticDescriptor MisplacedGelu = Error("DINO0011", Declaration,
        "GELU not between two Linear layers",
        "[Gelu] on '{0}' must sit between two [Linear] layers of the head");

    public static readonly DiagnosticDescriptor LayersInSeveralDeclarations = Error("DINO0012", Declaration,
        "Layers spread over several partial declarations",
        "The layers of '{0}' are declared in more than one partial declaration, so their order is ambiguous: keep them in one");

    public static readonly DiagnosticDescriptor MissingRequiredArgument = Error("DINO0013", Declaration,
        "Required attribute argument missing",
        "[{0}] needs {1}, for example [{0}({1} = ...)]");

    public static readonly DiagnosticDescriptor DuplicateModelName = Error("DINO0014", Declaration,
        "Two models share a name",
        "Model name '{0}' of '{1}' is already used by '{2}': set Name on one of them");

    public static readonly DiagnosticDescriptor InvalidModelName = Error("DINO0015", Declaration,
        "Invalid model name",
        "Model name '{0}' must be lower-case letters and digits in groups joined by '-', like 'vit-small-16'");

    public static readonly DiagnosticDescriptor NotPositive = Error("DINO1001", Shape,
        "Size must be positive",
        "{0} must be positive, but is {1}");

    public static readonly DiagnosticDescriptor EmbedDimNotDivisibleByHeads = Error("DINO1002", Shape,
        "Embedding width not divisible by heads",
        "The embedding width {0} is not divisible by Heads = {1}");

    public static readonly DiagnosticDescriptor NotMultipleOfPatch = Error("DINO1003", Shape,
        "Size not a multiple of the patch",
        "{0} = {1} is not a multiple of the patch size {2}");

    public static readonly DiagnosticDescriptor OutDimBelowBottleneck = Error("DINO1004", Shape,
        "Out dim smaller than the bottleneck",
        "The head's out dim {0} is smaller than its bottleneck {1}");

    public static readonly DiagnosticDescriptor MlpHiddenNotWhole = Error("DINO1005", Shape,
        "MLP width not a whole number",
        "MlpRatio = {0} times the embedding width {1} gives {2}, not a whole number of hidden units");

    public static readonly DiagnosticDescriptor OutOfRange = Error("DINO1006", Shape,
        "Value out of range",
        "{0} must be in {1}, but is {2}");

    public static readonly DiagnosticDescriptor LocalCropLargerThanGlobal = new("DINO1007",
        "Local crop larger than the global crop",
        "LocalCrop = {0} is larger than GlobalCrop = {1}: DINO's local crops are the small views",
        Shape, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ModelTooLarge = Error("DINO1008", Shape,
        "Model too large",
        "'{0}' is too large to compile: {1}");

    public static readonly DiagnosticDescriptor CudaBackendUnavailable = new("DINO2001",
        "The CUDA backend cannot serve the model",
        "The CUDA backend cannot serve '{0}': {1}. The model compiles for the CPU only; it does not implement ICudaDinoModel.",
        Backend, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = Error("DINO9001", Internal,
        "The DINO generator failed",
        "The DINO generator failed while {0} '{1}': {2}. This is a bug in DinoCompiled; please report it with the declaration.");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
