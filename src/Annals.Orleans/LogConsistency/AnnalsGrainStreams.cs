using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Annals.Storage;
using Orleans.Runtime;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// The streams the Annals log-consistency provider keeps journaled grains in by default: <c>category.id</c>, the
/// category from the grain class's <see cref="AnnalsStreamAttribute"/> or else its grain type, the id from the grain's key.
/// A projection or a tool finds a grain's events with these.
/// </summary>
/// <remarks>
/// <para>
/// The id keeps the key's text where a stream id allows it and escapes the rest, so every key has its own id, the same
/// in every process and version: a character a stream id cannot hold (<c>.</c>, <c>*</c>, <c>&gt;</c>, whitespace, a
/// control or format character), bytes that are not UTF-8, and <c>~</c> itself become <c>~XX</c> for each of their
/// UTF-8 bytes, in upper-case hexadecimal. The empty key is <c>~</c>. An id longer than 200 characters keeps its first
/// 134 and ends with <c>~h</c> and the SHA-256 hash of the key's bytes in 64 upper-case hexadecimal digits; no
/// escaped id holds <c>~h</c>, so the two forms never meet. Examples: <c>42</c> stays <c>42</c>, <c>a.b</c> becomes
/// <c>a~2Eb</c>, <c>new york</c> becomes <c>new~20york</c>, <c>Zürich</c> stays <c>Zürich</c>.
/// </para>
/// <para>
/// A grain type that is a valid category (1–64 characters of <c>[A-Za-z0-9_-]</c>, as the types Orleans derives from
/// class names are) is the category as it is; another has its other characters replaced by <c>_</c>, is cut to 55
/// characters and ends with <c>-</c> and 8 hexadecimal digits of its SHA-256 hash. Naming the category with
/// <see cref="AnnalsStreamAttribute"/> keeps streams where they are when a grain class or type is renamed.
/// </para>
/// </remarks>
public static class AnnalsGrainStreams
{
    // The hashed form: the escaped id's start, "~h" and 64 hexadecimal digits, 200 characters at most.
    private const int HashedPrefixLength = StreamName.MaxIdLength - 2 - (2 * SHA256.HashSizeInBytes);

    // A category made from an invalid grain type: its start, '-' and 8 hexadecimal digits.
    private const int CategoryPrefixLength = StreamName.MaxCategoryLength - 9;

    /// <summary>The stream of a grain of a class: the class's <see cref="AnnalsStreamAttribute"/> category or the grain type's, and the key's id.</summary>
    /// <param name="grainId">The grain's id.</param>
    /// <param name="grainClass">The grain's class.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="InvalidNameException">The attribute names an invalid category.</exception>
    public static StreamName For(GrainId grainId, Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        var category = grainClass.GetCustomAttribute<AnnalsStreamAttribute>(inherit: true)?.Category ?? CategoryOf(grainId.Type);
        return For(grainId, category);
    }

    /// <summary>The stream of a grain in a category: the category and the key's id.</summary>
    /// <param name="grainId">The grain's id.</param>
    /// <param name="category">The category.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="InvalidNameException">The category is invalid.</exception>
    public static StreamName For(GrainId grainId, string category) => StreamName.For(category, IdOf(grainId.Key));

    /// <summary>The category a grain type's streams have when its class names none.</summary>
    /// <param name="grainType">The grain type.</param>
    /// <returns>A valid category.</returns>
    public static string CategoryOf(GrainType grainType)
    {
        var name = grainType.ToString() ?? string.Empty;
        if (NameRules.CheckCategory(name) is null)
        {
            return name;
        }

        var kept = new StringBuilder(StreamName.MaxCategoryLength);
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, CategoryPrefixLength)))
        {
            kept.Append(NameRules.IsWordChar(c) ? c : '_');
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        return kept.Append('-').Append(Convert.ToHexString(hash[..4])).ToString();
    }

    /// <summary>The stream id of a grain key.</summary>
    /// <param name="key">The grain's key (<see cref="GrainId.Key"/>).</param>
    /// <returns>A valid stream id, different for every key.</returns>
    public static string IdOf(IdSpan key)
    {
        var bytes = key.AsSpan();
        if (bytes.IsEmpty)
        {
            return "~";
        }

        var id = new StringBuilder(bytes.Length);
        var prefix = 0;
        for (var i = 0; i < bytes.Length;)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out var rune, out var used);
            if (status == OperationStatus.Done && Keeps(rune))
            {
                id.Append(rune.ToString());
            }
            else
            {
                // Each byte of the character (or of the bytes that are no UTF-8) is escaped, so the id decodes to the key.
                foreach (var b in bytes.Slice(i, Math.Max(used, 1)))
                {
                    id.Append('~').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            i += Math.Max(used, 1);
            if (id.Length <= HashedPrefixLength)
            {
                // Cut only between whole characters and escapes, never inside one.
                prefix = id.Length;
            }
        }

        if (id.Length <= StreamName.MaxIdLength)
        {
            return id.ToString();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return id.ToString(0, prefix) + "~h" + Convert.ToHexString(hash);
    }

    // What a stream id may hold as it is: not '~', which starts an escape, nor what NameRules.CheckStreamId refuses.
    private static bool Keeps(Rune rune) =>
        rune.Value is not ('~' or '.' or '*' or '>')
        && !Rune.IsWhiteSpace(rune)
        && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format);
}
