using System.Buffers.Text;
using System.Text;
using Annals.Storage;

namespace Annals.Nats;

/// <summary>
/// Names in NATS subjects and key-value keys. Stream names are valid subject tokens as they are (no <c>.</c>, <c>*</c>,
/// <c>&gt;</c> or whitespace in an id); keys allow only <c>[-/_=.A-Za-z0-9]</c>, so a name with other characters is
/// written as <c>=</c> followed by its UTF-8 bytes in URL-safe base64, which no plain name starts with.
/// </summary>
internal static class NatsKeys
{
    public static string Subject(string store, StreamName stream) => $"{store}.{stream.Category}.{stream.Id}";

    public static string StreamKey(StreamName stream) =>
        IsPlain(stream.Category) && IsPlain(stream.Id) ? stream.Value : "=" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(stream.Value));

    public static string Token(string name) => IsPlain(name) ? name : "=" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(name));

    public static string MessageKey(string queue, Guid messageId) => $"{Token(queue)}.{messageId:N}";

    public static string IdKey(Guid eventId) => eventId.ToString("N");

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || name[0] == '=')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
