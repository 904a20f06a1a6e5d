using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Tests.Infrastructure;

namespace DinoCompiled.Tests.Fixtures;

/// <summary>
/// A reference fixture made by tools/fixtures/make_fixtures.py (PyTorch, float64 compute, float32 storage), loaded
/// whole: every tensor as float32 with its shape, in file order, and the metadata. Loaded once per test run and
/// shared, so the accessors hand out copies.
/// </summary>
internal sealed class FixtureFile
{
    /// <summary>One DINO step of the zoo's FmnistTiny.</summary>
    public const string FmnistTiny = "fmnist-tiny";

    /// <summary>One DINO step of the test model ReducedVit (weight_g trained).</summary>
    public const string ReducedVit = "reduced-vit";

    /// <summary>The position-embedding resize alone: <c>case{i}.input|output|grad_output|grad_input</c>.</summary>
    public const string BicubicResize = "bicubic-resize";

    /// <summary>Known values in every dtype the reader supports.</summary>
    public const string SafetensorsDTypes = "safetensors-dtypes";

    private static readonly ConcurrentDictionary<string, Lazy<FixtureFile>> Loaded = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (ImmutableArray<int> Shape, float[] Values)> _tensors;

    private FixtureFile(string path, ImmutableArray<string> names, Dictionary<string, (ImmutableArray<int>, float[])> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Names = names;
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tests/DinoCompiled.Tests/Fixtures in the repository (the files are read in place, not copied to the output).</summary>
    public static string Directory => System.IO.Path.Combine(RepositoryPaths.Root, "Tests", "DinoCompiled.Tests", "Fixtures");

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Every tensor name, in file order.</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>The file's metadata (config values, seeds, library versions).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The full path of a fixture by name (<c>fmnist-tiny</c>).</summary>
    public static string PathOf(string name) => System.IO.Path.Combine(Directory, name + ".safetensors");

    /// <summary>Loads a fixture by name (<c>fmnist-tiny</c>), once per test run.</summary>
    public static FixtureFile Load(string name) => Loaded.GetOrAdd(name, n => new Lazy<FixtureFile>(() => Read(PathOf(n)))).Value;

    /// <summary>
    /// The prefix of the teacher's weights: <c>teacher.</c>, or <c>student.</c> when the fixture's teacher is the
    /// student itself (metadata <c>teacher = student</c>, as DINO starts; it keeps the FmnistTiny fixture small).
    /// </summary>
    public string TeacherPrefix => Metadata.TryGetValue("teacher", out var teacher) && teacher == "student" ? "student." : "teacher.";

    /// <summary>Whether the fixture holds a tensor of this name.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>A copy of a tensor's values (row-major, as PyTorch lays them out).</summary>
    public float[] Tensor(string name) => (float[])Entry(name).Values.Clone();

    /// <summary>A tensor's values widened to float64, for float64 references.</summary>
    public double[] TensorAsDouble(string name) => Array.ConvertAll(Entry(name).Values, v => (double)v);

    /// <summary>A tensor's shape.</summary>
    public ImmutableArray<int> Shape(string name) => Entry(name).Shape;

    /// <summary>
    /// The names that start with <paramref name="prefix"/>, without it, in file order:
    /// <c>NamesUnder("student.")</c> gives the student's state-dict keys.
    /// </summary>
    public ImmutableArray<string> NamesUnder(string prefix) =>
        Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => n.Substring(prefix.Length)).ToImmutableArray();

    /// <summary>A metadata value.</summary>
    public string Meta(string key) => Metadata.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"{Path}: no metadata '{key}'");

    /// <summary>An integer metadata value.</summary>
    public int MetaInt(string key) => int.Parse(Meta(key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>A floating-point metadata value (written with Python's repr, which round-trips).</summary>
    public double MetaDouble(string key) => double.Parse(Meta(key), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A boolean metadata value (<c>true</c> / <c>false</c>).</summary>
    public bool MetaBool(string key) => bool.Parse(Meta(key));

    private (ImmutableArray<int> Shape, float[] Values) Entry(string name) => _tensors.TryGetValue(name, out var entry)
        ? entry
        : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    private static FixtureFile Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Fixture {path} is missing; regenerate it with: /usr/bin/python3 tools/fixtures/make_fixtures.py", path);
        using var file = SafetensorsFile.Open(path);
        var tensors = new Dictionary<string, (ImmutableArray<int>, float[])>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
            if (info.DType.IsFloatingPoint()) tensors.Add(info.Name, (info.Shape, file.ReadFloat32(info.Name)));
        return new FixtureFile(path, file.Names, tensors, file.Metadata);
    }
}
