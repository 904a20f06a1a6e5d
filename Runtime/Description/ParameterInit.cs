using System.Globalization;

namespace DinoCompiled;

/// <summary>An initializer: a kind and its one scale parameter.</summary>
/// <param name="Kind">The distribution.</param>
/// <param name="Scale">The constant value, the std of the truncated normal, or the bound of the uniform.</param>
public readonly record struct ParameterInit(InitKind Kind, double Scale)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        InitKind.Constant => string.Create(CultureInfo.InvariantCulture, $"constant({Scale:G6})"),
        InitKind.TruncatedNormal => string.Create(CultureInfo.InvariantCulture, $"trunc_normal(std={Scale:G6})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"uniform(±{Scale:G6})"),
    };
}
