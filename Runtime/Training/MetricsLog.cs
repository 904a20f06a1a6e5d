using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace DinoCompiled.Training;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c> in the run folder (flushed at once, so a crash loses at most
/// the record being written), and keeps the epoch records for the plot.
/// </summary>
public sealed class MetricsLog
{
    private readonly string _path;

    /// <summary>A log in <paramref name="runDirectory"/>; earlier records of a resumed run are read back.</summary>
    public MetricsLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        _path = Path.Combine(runDirectory, "metrics.jsonl");
        if (!File.Exists(_path)) return;
        foreach (var line in File.ReadAllLines(_path))
        {
            if (line.Length == 0) continue;
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "epoch")
            {
                var record = new Dictionary<string, double>();
                foreach (var property in document.RootElement.EnumerateObject())
                    if (property.Value.ValueKind == JsonValueKind.Number) record[property.Name] = property.Value.GetDouble();
                Epochs.Add(record);
            }
        }
    }

    /// <summary>The per-epoch records so far (numbers only).</summary>
    public List<Dictionary<string, double>> Epochs { get; } = new();

    /// <summary>Writes one record; <paramref name="kind"/> is "step" or "epoch".</summary>
    public void Append(string kind, IReadOnlyDictionary<string, double> values)
    {
        var text = new StringBuilder("{\"kind\":\"").Append(kind).Append('"');
        foreach (var (name, value) in values)
        {
            text.Append(",\"").Append(name).Append("\":");
            text.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        text.Append('}').Append('\n');
        File.AppendAllText(_path, text.ToString());
        if (kind == "epoch") Epochs.Add(new Dictionary<string, double>(values));
    }
}
