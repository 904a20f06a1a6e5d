using System.Globalization;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Tests.Fixtures;
using Xunit;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// The position-embedding resize against PyTorch itself: <c>F.interpolate(mode='bicubic', scale_factor=(g+0.1)/G)</c>
/// as the reference DINO calls it, forward and adjoint, on the cases of <c>bicubic-resize.safetensors</c>.
/// </summary>
public sealed class BicubicResizeFixtureTests
{
    public static TheoryData<int> Cases => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Cases))]
    public unsafe void ForwardAndBackwardMatchPyTorch(int index)
    {
        var fixture = FixtureFile.Load(FixtureFile.BicubicResize);
        string c = "case" + index.ToString(CultureInfo.InvariantCulture);
        int source = fixture.MetaInt(c + ".G"), grid = fixture.MetaInt(c + ".g"), dim = fixture.Shape(c + ".input")[1];
        var plan = new BicubicResizePlan(source, grid, fixture.MetaDouble(c + ".scale"));

        using var input = ChannelsLast(fixture.Tensor(c + ".input"), dim, source);
        using var output = new NativeBuffer((long)grid * grid * dim);
        output.Span.Fill(float.NaN);
        plan.Forward(input.Data, output.Data, dim);
        using var expectedOutput = ChannelsLast(fixture.Tensor(c + ".output"), dim, grid);
        Assert.InRange(RelativeError.Of(output.Span, expectedOutput.Span), 0, 1e-6);

        using var gradOutput = ChannelsLast(fixture.Tensor(c + ".grad_output"), dim, grid);
        using var gradInput = new NativeBuffer((long)source * source * dim);
        plan.Backward(gradOutput.Data, gradInput.Data, dim);
        using var expectedGradInput = ChannelsLast(fixture.Tensor(c + ".grad_input"), dim, source);
        Assert.InRange(RelativeError.Of(gradInput.Span, expectedGradInput.Span), 0, 1e-6);
    }

    /// <summary>PyTorch's [1, D, G, G] to the compiled layout [G·G, D].</summary>
    private static NativeBuffer ChannelsLast(float[] channelsFirst, int dim, int side)
    {
        var buffer = new NativeBuffer((long)side * side * dim);
        var span = buffer.Span;
        for (int ch = 0; ch < dim; ch++)
            for (int p = 0; p < side * side; p++)
                span[p * dim + ch] = channelsFirst[ch * side * side + p];
        return buffer;
    }
}
