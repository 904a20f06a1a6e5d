using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DinoCompiled.Data;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>
/// The uint8 operations against what Pillow itself makes of the same images (Fixtures/pillow-reference.json, written
/// by tools/data/make_pillow_fixtures.py with Pillow 9.4): the reference DINO's augmentations run on PIL images, so
/// the bytes must agree exactly.
/// </summary>
public sealed class PillowReferenceTests
{
    private static readonly Lazy<List<PillowCase>> Cases = new(Load);

    public static TheoryData<string> Operations => new() { "resize", "brightness", "contrast", "saturation", "hue", "grayscale", "solarize" };

    [Theory]
    [MemberData(nameof(Operations))]
    public void MatchesPillowByteForByte(string operation)
    {
        var cases = Cases.Value.Where(c => c.Op == operation).ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            byte[] actual = Run(c);
            Assert.Equal(c.Expected.Length, actual.Length);
            int mismatch = Enumerable.Range(0, actual.Length).FirstOrDefault(i => actual[i] != c.Expected[i], -1);
            Assert.True(mismatch < 0, $"{c.Describe()}: byte {mismatch} is {(mismatch >= 0 ? actual[mismatch] : 0)}, Pillow gives {(mismatch >= 0 ? c.Expected[mismatch] : 0)}");
        }
    }

    private static byte[] Run(PillowCase c)
    {
        byte[] image = (byte[])c.Source.Clone();
        switch (c.Op)
        {
            case "resize":
                var output = new byte[c.Channels * c.Output[0] * c.Output[1]];
                new PillowBicubicResampler().Resize(c.Source, c.Channels, c.Height, c.Width,
                    new CropBox(c.Box[0], c.Box[1], c.Box[2], c.Box[3]), output, c.Output[0], c.Output[1]);
                return output;
            case "brightness": ColorJitterOperations.AdjustBrightness(image, c.Factor); break;
            case "contrast": ColorJitterOperations.AdjustContrast(image, c.Channels, c.Height, c.Width, c.Factor); break;
            case "saturation": ColorJitterOperations.AdjustSaturation(image, c.Channels, c.Height, c.Width, c.Factor); break;
            case "hue": ColorJitterOperations.AdjustHue(image, c.Channels, c.Height, c.Width, c.Factor); break;
            case "grayscale": ImageOperations.ToGrayscale(image, c.Channels, c.Height, c.Width); break;
            case "solarize": ImageOperations.Solarize(image); break;
            default: throw new InvalidOperationException("Unknown fixture operation " + c.Op);
        }
        return image;
    }

    private static List<PillowCase> Load()
    {
        string path = Path.Combine(RepositoryPaths.Root, "Tests", "DinoCompiled.Tests", "Data", "Fixtures", "pillow-reference.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(PillowCase.Parse).ToList();
    }

    private sealed record PillowCase(string Op, int Channels, int Height, int Width, byte[] Source, byte[] Expected, float Factor, int[] Box, int[] Output)
    {
        public static PillowCase Parse(JsonElement e) => new(
            e.GetProperty("op").GetString()!,
            e.GetProperty("channels").GetInt32(),
            e.GetProperty("height").GetInt32(),
            e.GetProperty("width").GetInt32(),
            Bytes(e.GetProperty("source")),
            Bytes(e.GetProperty("expected")),
            e.TryGetProperty("factor", out var f) ? f.GetSingle() : 0,
            e.TryGetProperty("box", out var b) ? b.EnumerateArray().Select(x => x.GetInt32()).ToArray() : [],
            e.TryGetProperty("output", out var o) ? o.EnumerateArray().Select(x => x.GetInt32()).ToArray() : []);

        public string Describe() =>
            $"{Op} of a {Channels}x{Height}x{Width} image" + (Box.Length > 0 ? $", box [{string.Join(", ", Box)}] to {Output[0]}x{Output[1]}" : $", factor {Factor}");

        private static byte[] Bytes(JsonElement array) => array.EnumerateArray().Select(x => (byte)x.GetInt32()).ToArray();
    }
}
