using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Annals.Storage;

namespace Annals.Nats;

/// <summary>Writes the store's binary values: fixed-size integers little-endian, strings and byte runs length-prefixed.</summary>
internal sealed class NatsBinaryWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public NatsBinaryWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public int Length => _buffer.WrittenCount;

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Guid(Guid value)
    {
        value.TryWriteBytes(_buffer.GetSpan(16));
        _buffer.Advance(16);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int32(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void NullableString(string? value)
    {
        Byte(value is null ? (byte)0 : (byte)1);
        if (value is not null)
        {
            String(value);
        }
    }

    public void Strings(IReadOnlyList<string> values)
    {
        Int32(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            String(values[i]);
        }
    }

    public void Map(IReadOnlyDictionary<string, string> values)
    {
        Int32(values.Count);
        foreach (var (key, value) in values)
        {
            String(key);
            String(value);
        }
    }
}

/// <summary>
/// Reads what <see cref="NatsBinaryWriter"/> wrote. A value that is cut short or runs past its end is corrupt, and
/// reading it fails with <see cref="CorruptDataException"/> rather than with an index error.
/// </summary>
internal ref struct NatsBinaryReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly string _what;
    private int _offset;

    public NatsBinaryReader(ReadOnlyMemory<byte> memory, string what)
    {
        _memory = memory;
        _what = what;
        _offset = 0;
    }

    public readonly bool AtEnd => _offset == _memory.Length;

    public byte Byte() => Take(1)[0];

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public Guid Guid() => new(Take(16));

    /// <summary>A byte run, as a slice of the value read: no copy.</summary>
    public ReadOnlyMemory<byte> Bytes()
    {
        var length = Length();
        var slice = _memory.Slice(_offset, length);
        _offset += length;
        return slice;
    }

    public string String() => Encoding.UTF8.GetString(Take(Length()));

    public string? NullableString() => Byte() == 0 ? null : String();

    public string[] Strings()
    {
        var count = Length();
        var values = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = String();
        }

        return values;
    }

    public Dictionary<string, string> Map()
    {
        var count = Length();
        var values = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            values[String()] = String();
        }

        return values;
    }

    private int Length()
    {
        var length = Int32();
        if (length < 0 || length > _memory.Length - _offset)
        {
            throw Corrupt();
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _memory.Length - _offset)
        {
            throw Corrupt();
        }

        var span = _memory.Span.Slice(_offset, count);
        _offset += count;
        return span;
    }

    private readonly CorruptDataException Corrupt() => new($"{_what} is cut short or malformed ({_memory.Length} bytes)");
}
