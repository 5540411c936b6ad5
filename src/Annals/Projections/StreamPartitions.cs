using System.Text;
using Annals.Storage;

namespace Annals.Projections;

/// <summary>Which partition of a partitioned projection a stream belongs to: a hash of its name, the same in every process and version.</summary>
public static class StreamPartitions
{
    /// <summary>The partition of a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="partitions">How many partitions there are.</param>
    /// <returns>A number from 0 to <paramref name="partitions"/> − 1.</returns>
    public static int Of(StreamName stream, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);

        // FNV-1a over the UTF-8 name: string.GetHashCode differs between processes, and partitions must not.
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(stream.Value) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(stream.Value, buffer)] : Encoding.UTF8.GetBytes(stream.Value);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }
}
