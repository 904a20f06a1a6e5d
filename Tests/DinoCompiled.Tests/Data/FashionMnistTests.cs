using System;
using System.IO;
using System.Linq;
using DinoCompiled.Data;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary><see cref="FashionMnist.Open"/> on the installed full set and on the bundled subset, and its errors.</summary>
public sealed class FashionMnistTests
{
    private static string Subset => Path.Combine(RepositoryPaths.Root, FashionMnist.BundledSubsetDirectory);

    [FashionMnistFact]
    public void TheInstalledSet()
    {
        var train = FashionMnist.Open(FashionMnist.InstalledDirectory, DatasetSplit.Train);
        var test = FashionMnist.Open(FashionMnist.InstalledDirectory, DatasetSplit.Test);

        Assert.Equal((60000, 1, 28, 28, 10), (train.Count, train.Channels, train.Height, train.Width, train.ClassCount));
        Assert.Equal((10000, 1, 28, 28, 10), (test.Count, test.Channels, test.Height, test.Width, test.ClassCount));
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], Enumerable.Range(0, 10).Select(train.Label));
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], Enumerable.Range(0, 10).Select(test.Label));
        Assert.Equal("Ankle boot", train.ClassNames[train.Label(0)]);
        Assert.Equal(FashionMnist.Normalization, train.Normalization);
        // Every class holds 6,000 training images.
        Assert.All(Enumerable.Range(0, train.Count).GroupBy(train.Label), g => Assert.Equal(6000, g.Count()));
    }

    [FashionMnistFact]
    public void ThePublishedStatisticsAreTheTrainingSetsOwn()
    {
        var measured = IdxDataset.Open(
            Path.Combine(FashionMnist.InstalledDirectory, "train-images-idx3-ubyte.gz"),
            Path.Combine(FashionMnist.InstalledDirectory, "train-labels-idx1-ubyte.gz")).Normalization;
        Assert.Equal(FashionMnist.Mean, measured.Mean[0], 3);
        Assert.Equal(FashionMnist.Std, measured.Std[0], 3);
    }

    [FashionMnistFact]
    public void TheBundledSubsetIsTheFirst900And200ImagesOfEachClass()
    {
        foreach (var (split, perClass) in new[] { (DatasetSplit.Train, 900), (DatasetSplit.Test, 200) })
        {
            var subset = FashionMnist.Open(Subset, split);
            var full = FashionMnist.Open(FashionMnist.InstalledDirectory, split);
            Assert.Equal(10 * perClass, subset.Count);

            var counts = new int[10];
            var chosen = Enumerable.Range(0, full.Count).Where(i => counts[full.Label(i)]++ < perClass).ToArray();
            Assert.Equal(subset.Count, chosen.Length);
            var subsetImage = new byte[28 * 28];
            var fullImage = new byte[28 * 28];
            for (int i = 0; i < subset.Count; i++)
            {
                Assert.Equal(full.Label(chosen[i]), subset.Label(i));
                subset.ReadImage(i, subsetImage);
                full.ReadImage(chosen[i], fullImage);
                Assert.True(subsetImage.AsSpan().SequenceEqual(fullImage), $"{split} subset image {i} differs from full-set image {chosen[i]}");
            }
        }
    }

    [Fact]
    public void TheBundledSubsetFitsIn5MB()
    {
        var files = Directory.GetFiles(Subset, "*.gz");
        Assert.Equal(4, files.Length);
        Assert.InRange(files.Sum(f => new FileInfo(f).Length), 1, 5_000_000);
        var train = FashionMnist.Open(Subset, DatasetSplit.Train);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], Enumerable.Range(0, 10).Select(train.Label));
    }

    [Fact]
    public void AMissingDirectory()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-fashion-mnist-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DatasetException>(() => FashionMnist.Open(missing, DatasetSplit.Train));
        Assert.Equal($"{missing}: no such directory", error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var dir = new TemporaryDirectory();
        File.Copy(Path.Combine(Subset, "t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));
        var error = Assert.Throws<DatasetException>(() => FashionMnist.Open(dir.Path, DatasetSplit.Test));
        Assert.Equal($"{dir.File("t10k-labels-idx1-ubyte.gz")}: no such file (nor t10k-labels-idx1-ubyte without .gz)", error.Message);
    }

    [Fact]
    public void UnpackedFilesAreReadToo()
    {
        using var dir = new TemporaryDirectory();
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(Subset, name + ".gz")), System.IO.Compression.CompressionMode.Decompress);
            using var plain = File.Create(dir.File(name));
            gzip.CopyTo(plain);
        }
        var test = FashionMnist.Open(dir.Path, DatasetSplit.Test);
        Assert.Equal(2000, test.Count);
        Assert.Equal(dir.File("t10k-images-idx3-ubyte"), test.ImagesPath);
    }
}
