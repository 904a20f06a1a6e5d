using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Json;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// The parsed and validated JSON header of a safetensors file. Every check that needs only the header and the
/// file's length happens here, so a <see cref="SafetensorsFile"/> that opened can read any of its tensors.
/// </summary>
internal sealed class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";

    private SafetensorsHeader(
        ImmutableArray<SafetensorsTensorInfo> tensors,
        Dictionary<string, SafetensorsTensorInfo> byName,
        Dictionary<string, string> metadata)
    {
        Tensors = tensors;
        ByName = byName;
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
    }

    /// <summary>Every tensor in the order of its data in the file (the order it was written).</summary>
    public ImmutableArray<SafetensorsTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, SafetensorsTensorInfo> ByName { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses <paramref name="json"/> and checks every tensor against the <paramref name="dataLength"/> bytes that follow it.</summary>
    /// <exception cref="SafetensorsFormatException">The header is malformed or does not fit the data.</exception>
    public static SafetensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            // JsonException counts lines and bytes from 0.
            throw new SafetensorsFormatException(path, $"the header is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, "the header is not a JSON object");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var byName = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var inHeaderOrder = new List<SafetensorsTensorInfo>();
            bool sawMetadata = false;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (sawMetadata) throw new SafetensorsFormatException(path, $"\"{MetadataKey}\" appears twice in the header");
                    sawMetadata = true;
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                var tensor = ReadTensor(path, property.Name, property.Value, dataLength);
                if (!byName.TryAdd(tensor.Name, tensor))
                    throw new SafetensorsFormatException(path, $"tensor '{tensor.Name}' appears twice in the header");
                inHeaderOrder.Add(tensor);
            }

            // A stable sort: tensors keep their header order where the data order cannot tell (empty tensors).
            var inDataOrder = inHeaderOrder.Select((t, i) => (t, i)).OrderBy(x => x.t.DataBegin).ThenBy(x => x.i).Select(x => x.t).ToImmutableArray();
            CheckNoOverlap(path, inDataOrder);
            return new SafetensorsHeader(inDataOrder, byName, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, $"\"{MetadataKey}\" is not a JSON object");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(path, $"\"{MetadataKey}\" entry '{entry.Name}' is not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafetensorsFormatException(path, $"\"{MetadataKey}\" entry '{entry.Name}' appears twice");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string path, string name, JsonElement element, long dataLength)
    {
        SafetensorsFormatException Fail(string problem) => new(path, $"tensor '{name}' {problem}");

        if (element.ValueKind != JsonValueKind.Object)
            throw Fail("is not described by a JSON object");

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Fail("has no \"dtype\" string");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypeExtensions.TryParseHeaderName(dtypeName, out var dtype))
            throw Fail($"has unsupported dtype '{dtypeName}' (supported: {SafetensorsDTypeExtensions.SupportedList})");

        if (!element.TryGetProperty("shape", out var shapeElement) || !TryReadShape(shapeElement, out var shape))
            throw Fail("has a \"shape\" that is not a list of non-negative 32-bit integers");

        if (!element.TryGetProperty("data_offsets", out var offsetsElement) || !TryReadOffsets(offsetsElement, out long begin, out long end))
            throw Fail("has \"data_offsets\" that are not two non-negative integers");
        string offsetsText = $"data_offsets [{begin}, {end}]";
        if (end < begin)
            throw Fail($"has {offsetsText} that end before they begin");

        long needed;
        try
        {
            needed = checked(SafetensorsTensorInfo.CountElements(shape) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Fail($"has shape {SafetensorsTensorInfo.FormatShape(shape)} whose size overflows");
        }
        if (end - begin != needed)
            throw Fail($"has {offsetsText} but shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtypeName} needs {needed} bytes");
        if (end > dataLength)
            throw Fail($"has {offsetsText} beyond the {dataLength} bytes of data after the header (is the file truncated?)");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static bool TryReadShape(JsonElement element, out ImmutableArray<int> shape)
    {
        shape = default;
        if (element.ValueKind != JsonValueKind.Array) return false;
        var dims = ImmutableArray.CreateBuilder<int>(element.GetArrayLength());
        foreach (var dim in element.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int value) || value < 0) return false;
            dims.Add(value);
        }
        shape = dims.MoveToImmutable();
        return true;
    }

    private static bool TryReadOffsets(JsonElement element, out long begin, out long end)
    {
        begin = end = 0;
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2) return false;
        var first = element[0];
        var second = element[1];
        return first.ValueKind == JsonValueKind.Number && first.TryGetInt64(out begin) && begin >= 0
            && second.ValueKind == JsonValueKind.Number && second.TryGetInt64(out end) && end >= 0;
    }

    private static void CheckNoOverlap(string path, ImmutableArray<SafetensorsTensorInfo> inDataOrder)
    {
        // The tensor reaching furthest so far; empty tensors hold no bytes and cannot overlap anything.
        SafetensorsTensorInfo? furthest = null;
        foreach (var tensor in inDataOrder)
        {
            if (tensor.ByteLength == 0) continue;
            if (furthest is not null && tensor.DataBegin < furthest.DataEnd)
                throw new SafetensorsFormatException(path,
                    $"tensors '{furthest.Name}' [{furthest.DataBegin}, {furthest.DataEnd}] and '{tensor.Name}' [{tensor.DataBegin}, {tensor.DataEnd}] overlap");
            if (furthest is null || tensor.DataEnd > furthest.DataEnd) furthest = tensor;
        }
    }
}
