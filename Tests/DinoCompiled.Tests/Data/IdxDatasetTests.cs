using System;
using System.IO;
using System.Linq;
using DinoCompiled.Data;
using DinoCompiled.Tests.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The IDX reader: round trips of generated files, and one exact message for every way a file can be wrong.</summary>
public sealed class IdxDatasetTests
{
    private const int Count = 10, Rows = 4, Columns = 3;

    private static readonly byte[] Labels = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)] // gzip content without .gz: recognised by its magic bytes
    [InlineData(false, true)] // plain content named .gz
    public void RoundTrip(bool gzipContent, bool gzipName)
    {
        using var dir = new TemporaryDirectory();
        byte[] pixels = IdxTestFiles.PatternPixels(Count, Rows, Columns);
        string suffix = gzipName ? ".gz" : "";
        string images = IdxTestFiles.Write(dir.File("images-idx3-ubyte" + suffix), IdxTestFiles.ImageFileBytes(Count, Rows, Columns, pixels), gzipContent);
        string labels = IdxTestFiles.Write(dir.File("labels-idx1-ubyte" + suffix), IdxTestFiles.LabelFileBytes(Labels), gzipContent);

        var dataset = IdxDataset.Open(images, labels);

        Assert.Equal((Count, 1, Rows, Columns), (dataset.Count, dataset.Channels, dataset.Height, dataset.Width));
        Assert.Equal(10, dataset.ClassCount); // "0".."9": the largest label is 9
        Assert.Equal("9", dataset.ClassNames[9]);
        Assert.Equal(Labels, Enumerable.Range(0, Count).Select(dataset.Label).Select(l => (byte)l));
        var image = new byte[Rows * Columns];
        for (int i = 0; i < Count; i++)
        {
            dataset.ReadImage(i, image);
            Assert.Equal(pixels.AsSpan(i * image.Length, image.Length).ToArray(), image);
        }
    }

    [Fact]
    public void WithoutGivenStatisticsTheMeanAndStdAreMeasured()
    {
        using var dir = new TemporaryDirectory();
        byte[] pixels = IdxTestFiles.PatternPixels(Count, Rows, Columns);
        var dataset = Open(dir, IdxTestFiles.ImageFileBytes(Count, Rows, Columns, pixels), IdxTestFiles.LabelFileBytes(Labels));

        double mean = pixels.Average(p => p / 255.0);
        double std = Math.Sqrt(pixels.Average(p => (p / 255.0 - mean) * (p / 255.0 - mean)));
        Assert.Equal(mean, dataset.Normalization.Mean[0], 5);
        Assert.Equal(std, dataset.Normalization.Std[0], 5);
    }

    [Fact]
    public void AMissingFile()
    {
        using var dir = new TemporaryDirectory();
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        string missing = dir.File("no-such-images.gz");
        Assert.Equal($"{missing}: no such file", OpenFails(missing, () => IdxDataset.Open(missing, labels)).Message);
    }

    [Fact]
    public void ADirectoryInsteadOfAFile()
    {
        using var dir = new TemporaryDirectory();
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Directory.CreateDirectory(dir.File("images"));
        Assert.Equal($"{dir.File("images")}: is a directory, not an IDX file", OpenFails(dir.File("images"), () => IdxDataset.Open(dir.File("images"), labels)).Message);
    }

    [Theory]
    [InlineData(false, "holds")]
    [InlineData(true, "decompresses to")]
    public void ATruncatedImageFile(bool gzip, string holds)
    {
        using var dir = new TemporaryDirectory();
        byte[] full = IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns));
        string images = IdxTestFiles.Write(dir.File("train-images-idx3-ubyte.gz"), full[..100], gzip);
        string labels = IdxTestFiles.Write(dir.File("train-labels-idx1-ubyte"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);

        Assert.Equal($"{images}: truncated: header says 10 images of 4x3 (136 bytes) but the file {holds} 100 bytes",
            OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void ATruncatedLabelFile()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("images"), IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns)), gzip: false);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels)[..15], gzip: false);
        Assert.Equal($"{labels}: truncated: header says 10 labels (18 bytes) but the file holds 15 bytes",
            OpenFails(labels, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void TrailingData()
    {
        using var dir = new TemporaryDirectory();
        byte[] full = IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns));
        string images = IdxTestFiles.Write(dir.File("images.gz"), [.. full, 1, 2, 3], gzip: true);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{images}: trailing data: header says 10 images of 4x3 (136 bytes) but the file decompresses to 139 bytes",
            OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void ALabelFileGivenAsTheImageFile()
    {
        using var dir = new TemporaryDirectory();
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{labels}: not an IDX file of images: magic number 0x00000801 (expected 0x00000803)",
            OpenFails(labels, () => IdxDataset.Open(labels, labels)).Message);
    }

    [Fact]
    public void AFileOfAnotherDataType()
    {
        using var dir = new TemporaryDirectory();
        byte[] bytes = IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns));
        bytes[2] = 0x0D; // float32 data
        string images = IdxTestFiles.Write(dir.File("images"), bytes, gzip: false);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{images}: not an IDX file of images: magic number 0x00000D03 (expected 0x00000803)",
            OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void AFileShorterThanItsHeader()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("images"), IdxTestFiles.ImageFileBytes(Count, Rows, Columns, [])[..10], gzip: false);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{images}: truncated: the file holds 10 bytes, fewer than the 16 of its IDX header",
            OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void AFileShorterThanTheMagicNumber()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("images.gz"), [0, 0], gzip: true);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{images}: truncated: the file decompresses to 2 bytes, fewer than the 4 of an IDX magic number",
            OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void AnEmptyDimension()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("images"), IdxTestFiles.ImageFileBytes(Count, 0, Columns, []), gzip: false);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);
        Assert.Equal($"{images}: invalid header: 10 images of 0x3", OpenFails(images, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void CountsThatDisagree()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("t10k-images-idx3-ubyte"), IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns)), gzip: false);
        string labels = IdxTestFiles.Write(dir.File("t10k-labels-idx1-ubyte"), IdxTestFiles.LabelFileBytes(Labels[..9]), gzip: false);
        Assert.Equal($"{labels}: holds 9 labels but t10k-images-idx3-ubyte holds 10 images",
            OpenFails(labels, () => IdxDataset.Open(images, labels)).Message);
    }

    [Fact]
    public void ALabelOutsideTheClasses()
    {
        using var dir = new TemporaryDirectory();
        string images = IdxTestFiles.Write(dir.File("images"), IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns)), gzip: false);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes([.. Labels[..3], 12, .. Labels[4..]]), gzip: false);
        Assert.Equal($"{labels}: label 12 at index 3 is outside the 10 classes (0..9)",
            OpenFails(labels, () => IdxDataset.Open(images, labels, FashionMnist.ClassNames)).Message);
    }

    [Fact]
    public void CorruptGzipData()
    {
        using var dir = new TemporaryDirectory();
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns)));
        for (int i = 12; i < gzip.Length - 8; i++) gzip[i] = 0xFF; // the deflate blocks, not the gzip header
        string images = dir.File("images.gz");
        File.WriteAllBytes(images, gzip);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);

        string message = OpenFails(images, () => IdxDataset.Open(images, labels)).Message;
        Assert.StartsWith($"{images}: corrupt gzip data: ", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void ACutGzipFile()
    {
        using var dir = new TemporaryDirectory();
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.ImageFileBytes(Count, Rows, Columns, IdxTestFiles.PatternPixels(Count, Rows, Columns)));
        string images = dir.File("images.gz");
        File.WriteAllBytes(images, gzip[..(gzip.Length / 2)]);
        string labels = IdxTestFiles.Write(dir.File("labels"), IdxTestFiles.LabelFileBytes(Labels), gzip: false);

        // A download cut short: the stream ends early, which the length check reports.
        string message = OpenFails(images, () => IdxDataset.Open(images, labels)).Message;
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(images)}: truncated: header says 10 images of 4x3 \\(136 bytes\\) but the file decompresses to \\d+ bytes$", message);
    }

    private static IdxDataset Open(TemporaryDirectory dir, byte[] imageFile, byte[] labelFile) =>
        IdxDataset.Open(IdxTestFiles.Write(dir.File("images"), imageFile, gzip: false), IdxTestFiles.Write(dir.File("labels"), labelFile, gzip: false));

    private static DatasetException OpenFails(string path, Func<IdxDataset> open)
    {
        var error = Assert.Throws<DatasetException>(() => open());
        Assert.Equal(path, error.FilePath);
        Assert.Equal(path + ": " + error.Problem, error.Message);
        return error;
    }
}
