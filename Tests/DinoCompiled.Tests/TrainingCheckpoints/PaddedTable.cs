using System.Collections.Immutable;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// A tiny DINO-shaped parameter table whose tensors leave padding between them and at the end (the zoo's models are
/// all multiples of 16 floats, so they have none), with a frozen <c>weight_g</c>.
/// </summary>
internal static class PaddedTable
{
    public const string Name = "padded-test";

    public static ParameterTable Create()
    {
        var init = new ParameterInit(InitKind.Constant, 0);
        ParameterInfo P(string name, long offset, bool trainable, ModelPart part, params int[] shape)
        {
            long count = 1;
            foreach (int d in shape) count *= d;
            return new ParameterInfo(name, shape.ToImmutableArray(), offset, count, init, WeightDecay: false, trainable, part);
        }
        return new ParameterTable(ImmutableArray.Create(
            P("cls_token", 0, true, ModelPart.Backbone, 1, 1, 3),
            P("pos_embed", 16, true, ModelPart.Backbone, 1, 5, 3),
            P("norm.weight", 32, true, ModelPart.Backbone, 3),
            P("head.mlp.0.weight", 48, true, ModelPart.Head, 4, 3),
            P("head.last_layer.weight_g", 64, false, ModelPart.Head, 6, 1),
            P("head.last_layer.weight_v", 80, true, ModelPart.Head, 6, 4)), flatLength: 112);
    }
}
