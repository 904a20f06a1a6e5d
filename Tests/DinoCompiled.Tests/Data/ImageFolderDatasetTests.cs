using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DinoCompiled.Data;
using DinoCompiled.Tests.Checkpoints;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>Image folders made on the fly: class order, decoding and resizing, and unreadable files under both policies.</summary>
public sealed class ImageFolderDatasetTests
{
    [Fact]
    public void ClassesAreSortedOrdinallyAndFilesWithin()
    {
        using var dir = new TemporaryDirectory();
        WriteSolid(dir.File("b_cat/2.png"), 10, 7, new Rgb24(10, 20, 30));
        WriteSolid(dir.File("b_cat/10.png"), 10, 7, new Rgb24(40, 50, 60));
        WriteSolid(dir.File("a_dog/nested/x.jpeg"), 16, 16, new Rgb24(200, 100, 0));
        WriteSolid(dir.File("B_upper/y.PNG"), 5, 5, new Rgb24(1, 2, 3));
        File.WriteAllText(dir.File("b_cat/notes.txt"), "not an image");
        WriteSolid(dir.File(".hidden/z.png"), 5, 5, new Rgb24(9, 9, 9));
        WriteSolid(dir.File("empty_class/.keep.txt"), 0, 0, default);

        var dataset = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8 });

        Assert.Equal(["B_upper", "a_dog", "b_cat", "empty_class"], dataset.ClassNames);
        Assert.Equal(4, dataset.Count);
        Assert.Equal([0, 1, 2, 2], Enumerable.Range(0, 4).Select(dataset.Label));
        Assert.Equal(dir.File("b_cat/10.png"), dataset.FilePath(2)); // "10" < "2" ordinally
        Assert.Equal(NormalizationStatistics.ImageNet, dataset.Normalization);
        Assert.True(dataset.IsCached);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SolidImagesStaySolidInRgbAndGray(bool cached)
    {
        using var dir = new TemporaryDirectory();
        WriteSolid(dir.File("c/solid.png"), 13, 9, new Rgb24(200, 100, 50));
        var options = new ImageFolderOptions { Height = 6, Width = 11, MaxCachedBytes = cached ? long.MaxValue : 0 };

        var rgb = ImageFolderDataset.Open(dir.Path, options);
        var pixels = new byte[3 * 6 * 11];
        rgb.ReadImage(0, pixels);
        Assert.Equal(cached, rgb.IsCached);
        Assert.All(pixels[..66], v => Assert.Equal(200, v));
        Assert.All(pixels[66..132], v => Assert.Equal(100, v));
        Assert.All(pixels[132..], v => Assert.Equal(50, v));

        var gray = ImageFolderDataset.Open(dir.Path, options with { Channels = 1 });
        var grayPixels = new byte[66];
        gray.ReadImage(0, grayPixels);
        Assert.All(grayPixels, v => Assert.Equal(ImageOperations.Luma(200, 100, 50), v));
        Assert.Equal(NormalizationStatistics.ImageNetGray, gray.Normalization);
    }

    [Fact]
    public void APngOfTheTargetSizeIsReadExactly()
    {
        using var dir = new TemporaryDirectory();
        var random = new Random(3);
        using (var image = new Image<Rgb24>(7, 5))
        {
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++)
                    image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            Directory.CreateDirectory(dir.File("k"));
            image.SaveAsPng(dir.File("k/img.png"));
        }
        var dataset = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 5, Width = 7 });
        var pixels = new byte[3 * 35];
        dataset.ReadImage(0, pixels);
        using var check = Image.Load<Rgb24>(dir.File("k/img.png"));
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++)
            {
                Assert.Equal(check[x, y].R, pixels[y * 7 + x]);
                Assert.Equal(check[x, y].G, pixels[35 + y * 7 + x]);
                Assert.Equal(check[x, y].B, pixels[70 + y * 7 + x]);
            }
    }

    [Fact]
    public void UnreadableFilesStopTheOpeningByDefault()
    {
        using var dir = FolderWithBrokenFiles();
        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8 }));
        Assert.Equal(dir.File("cls_a/broken.jpg"), error.FilePath);
        Assert.Equal($"{dir.File("cls_a/broken.jpg")}: not an image of a known format (JPEG, PNG, BMP, GIF, TGA, TIFF or WebP)", error.Message);
    }

    [Fact]
    public void UnreadableFilesAreReportedAndLeftOutWhenSkipped()
    {
        using var dir = FolderWithBrokenFiles();
        var reported = new List<UnreadableImage>();
        var dataset = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions
        {
            Height = 8,
            Width = 8,
            UnreadablePolicy = UnreadableImagePolicy.Skip,
            OnUnreadableImage = reported.Add,
        });

        Assert.Equal(3, dataset.Count);
        Assert.Equal([dir.File("cls_a/broken.jpg"), dir.File("cls_b/corrupt.png")], reported.Select(r => r.Path));
        Assert.Equal(reported, dataset.UnreadableImages);
        Assert.Equal("not an image of a known format (JPEG, PNG, BMP, GIF, TGA, TIFF or WebP)", reported[0].Reason);
        Assert.StartsWith("corrupt image data: ", reported[1].Reason);
        Assert.All(reported, r => Assert.DoesNotContain('\n', r.ToString()));
        Assert.Equal([dir.File("cls_a/good.png"), dir.File("cls_b/good1.jpg"), dir.File("cls_b/good2.png")], Enumerable.Range(0, 3).Select(dataset.FilePath));
        Assert.Equal([0, 1, 1], Enumerable.Range(0, 3).Select(dataset.Label));
    }

    /// <summary>
    /// Every format ImageSharp 2.1 reads decodes to the pixels of the same picture as PNG: BMP, GIF (four colours, so
    /// its palette is exact), TGA, TIFF, lossless WebP, a 16-bit PNG (each value v stored as 257·v) and RGBA (alpha dropped).
    /// </summary>
    [Fact]
    public void EveryFormatDecodesToThePixelsOfThePng()
    {
        using var dir = new TemporaryDirectory();
        Rgb24[] colours = [new(200, 30, 40), new(10, 220, 90), new(60, 70, 250), new(255, 255, 0)];
        using var picture = new Image<Rgb24>(12, 10);
        picture.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < 10; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < 12; x++) row[x] = colours[(x / 3 + y / 2) % 4];
            }
        });
        Directory.CreateDirectory(dir.File("cls"));
        picture.SaveAsPng(dir.File("cls/a.png"));
        picture.SaveAsBmp(dir.File("cls/b.bmp"));
        picture.SaveAsGif(dir.File("cls/c.gif"));
        picture.SaveAsTga(dir.File("cls/d.tga"));
        picture.SaveAsTiff(dir.File("cls/e.tiff"));
        picture.Save(dir.File("cls/f.webp"), new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless });
        using (var deep = picture.CloneAs<Rgb48>()) deep.SaveAsPng(dir.File("cls/g.png"), new SixLabors.ImageSharp.Formats.Png.PngEncoder { BitDepth = SixLabors.ImageSharp.Formats.Png.PngBitDepth.Bit16 });
        using (var alpha = picture.CloneAs<Rgba32>()) alpha.SaveAsPng(dir.File("cls/h.png"));

        var dataset = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8 });
        Assert.Equal(8, dataset.Count);
        var png = new byte[3 * 64];
        var other = new byte[3 * 64];
        dataset.ReadImage(0, png);
        for (int i = 1; i < dataset.Count; i++)
        {
            dataset.ReadImage(i, other);
            Assert.True(png.AsSpan().SequenceEqual(other), $"{Path.GetFileName(dataset.FilePath(i))} decodes to other pixels than the PNG");
        }
    }

    /// <summary>The size comes from the header: an image over the limit is unreadable before any pixel is decoded.</summary>
    [Fact]
    public void AnImageOverThePixelLimitIsUnreadable()
    {
        using var dir = new TemporaryDirectory();
        WriteSolid(dir.File("cls/small.png"), 10, 10, new Rgb24(1, 2, 3));
        WriteSolid(dir.File("cls/large.png"), 40, 30, new Rgb24(4, 5, 6));
        var reported = new List<UnreadableImage>();
        var dataset = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions
        {
            Height = 8, Width = 8, MaxPixels = 1000, UnreadablePolicy = UnreadableImagePolicy.Skip, OnUnreadableImage = reported.Add,
        });
        Assert.Equal(1, dataset.Count);
        Assert.Equal(dir.File("cls/small.png"), dataset.FilePath(0));
        Assert.Equal($"{dir.File("cls/large.png")}: 40 x 30 is 0.0012 megapixels, over the limit of 0.001 (--max-megapixels)", Assert.Single(reported).ToString());
        var stop = Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8, MaxPixels = 1000 }));
        Assert.Equal(dir.File("cls/large.png") + ": 40 x 30 is 0.0012 megapixels, over the limit of 0.001 (--max-megapixels)", stop.Message);
        Assert.Equal(2, ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8, MaxPixels = 1200 }).Count);
    }

    [Fact]
    public void FolderProblemsNameTheFolder()
    {
        using var dir = new TemporaryDirectory();
        string missing = dir.File("nope");
        Assert.Equal($"{missing}: no such directory", Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(missing, new ImageFolderOptions { Height = 8, Width = 8 })).Message);
        Assert.Equal($"{dir.Path}: holds no class folders (one sub-folder per class is expected)",
            Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8 })).Message);
        Directory.CreateDirectory(dir.File("only"));
        File.WriteAllText(dir.File("only/readme.md"), "#");
        Assert.Equal($"{dir.Path}: holds no images (JPEG, PNG, BMP, GIF, TGA, TIFF or WebP) in its class folders",
            Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8 })).Message);
        File.WriteAllBytes(dir.File("only/bad.png"), [1, 2, 3]);
        Assert.Equal($"{dir.Path}: none of its 1 images could be read",
            Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Height = 8, Width = 8, UnreadablePolicy = UnreadableImagePolicy.Skip })).Message);
    }

    private static TemporaryDirectory FolderWithBrokenFiles()
    {
        var dir = new TemporaryDirectory();
        WriteSolid(dir.File("cls_a/good.png"), 9, 9, new Rgb24(1, 2, 3));
        File.WriteAllBytes(dir.File("cls_a/broken.jpg"), Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        WriteSolid(dir.File("cls_b/good1.jpg"), 12, 10, new Rgb24(90, 90, 90));
        WriteSolid(dir.File("cls_b/good2.png"), 4, 4, new Rgb24(5, 5, 5));
        // A real PNG whose image data is damaged after the header: the decoder recognises it, then fails.
        WriteSolid(dir.File("cls_b/corrupt.png"), 32, 32, new Rgb24(7, 8, 9));
        byte[] png = File.ReadAllBytes(dir.File("cls_b/corrupt.png"));
        int data = IndexOf(png, "IDAT"u8.ToArray()) + 4;
        for (int i = data; i < Math.Min(data + 20, png.Length - 12); i++) png[i] ^= 0x5A;
        File.WriteAllBytes(dir.File("cls_b/corrupt.png"), png);
        return dir;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static void WriteSolid(string path, int width, int height, Rgb24 colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (width == 0)
        {
            File.WriteAllText(path, "");
            return;
        }
        using var image = new Image<Rgb24>(width, height, colour);
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) image.SaveAsPng(path);
        else image.SaveAsJpeg(path, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 100 });
    }
}
