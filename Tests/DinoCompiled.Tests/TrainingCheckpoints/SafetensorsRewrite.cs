using System;
using DinoCompiled.Checkpoints;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>Copies a valid checkpoint with tensors left out or added, to make the damaged files the error tests need.</summary>
internal static class SafetensorsRewrite
{
    public static void Copy(string source, string destination, Func<string, bool> keep, Action<SafetensorsWriter>? add = null, bool keepMetadata = true)
    {
        var writer = new SafetensorsWriter();
        using (var file = SafetensorsFile.Open(source))
        {
            if (keepMetadata)
            {
                foreach (var (key, value) in file.Metadata) writer.SetMetadata(key, value);
            }
            foreach (var tensor in file.Tensors)
            {
                if (!keep(tensor.Name)) continue;
                var shape = tensor.Shape.AsSpan();
                _ = tensor.DType switch
                {
                    SafetensorsDType.F32 => writer.AddFloat32(tensor.Name, file.ReadFloat32(tensor.Name), shape),
                    SafetensorsDType.I64 => writer.AddInt64(tensor.Name, file.ReadInt64(tensor.Name), shape),
                    SafetensorsDType.U8 => writer.AddUInt8(tensor.Name, file.ReadUInt8(tensor.Name), shape),
                    _ => throw new NotSupportedException(tensor.DType.ToString()),
                };
            }
        }
        add?.Invoke(writer);
        writer.Write(destination);
    }
}
