using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Annals.Storage;

namespace Annals.Serialization;

/// <summary>
/// Event ids derived from the command that decided the events: a command sent again with the same
/// <see cref="MessageContext.MessageId"/> decides events with the ids of the first time, and the store's
/// idempotency rule recognises them as stored instead of storing them twice.
/// </summary>
/// <remarks>
/// The id of the event at 0-based <c>index</c> among those one command decided for one stream is a
/// name-based UUID of RFC 9562 version 8: the first 16 bytes of the SHA-256 hash of the UTF-8 bytes of
/// <c>stream + "\0" + messageId + "\0" + index</c> (the stream's whole name <c>category.id</c>, the index
/// in invariant decimal digits), with the version bits (the high 4 bits of byte 6) set to <c>1000</c> and
/// the variant bits (the high 2 bits of byte 8) to <c>10</c>, read in network (big-endian) order. A stream
/// name holds no NUL and the index only digits, so two different inputs never make the same text. Ids
/// already stored depend on this derivation: it never changes.
/// </remarks>
public static class EventIds
{
    // Names up to this many UTF-8 bytes are hashed from the stack; a stream name takes at most 265.
    private const int StackBytes = 512;

    // Lone surrogates would all become U+FFFD under the lenient encoding, and so different ids the same name.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Derives the id of one event decided by one command for one stream.</summary>
    /// <param name="stream">The stream the event is appended to.</param>
    /// <param name="messageId">The command's id (<see cref="MessageContext.MessageId"/>).</param>
    /// <param name="index">The event's 0-based index among the events the command decided.</param>
    /// <returns>The id: the same for the same inputs, in every process and version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messageId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is not valid UTF-16 (it holds a lone surrogate), or <paramref name="stream"/> is the default value.</exception>
    public static Guid Derive(StreamName stream, string messageId, int index)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (stream == default)
        {
            throw new ArgumentException("The stream name is the default value and names no stream.", nameof(stream));
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"{stream.Value}\0{messageId}\0{index}");
        var length = StrictUtf8.GetMaxByteCount(name.Length);
        byte[]? rented = null;
        var bytes = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = StrictUtf8.GetBytes(name, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
