using System.Globalization;
using System.Text;
using Annals.Storage;

namespace Annals.Testing.Conformance;

/// <summary>
/// Makes text that tries every way a name, key or value can go wrong (unpaired surrogates, control and format
/// characters, combining marks, canonically equivalent pairs, NUL, very long text), and states the text rules a second
/// time, independently of the library, as the oracle the suites judge each store by.
/// </summary>
internal sealed class HostileText(int seed)
{
    // Pieces that text is built of: the plain, the reserved, and the hostile.
    private static readonly string[] Atoms =
    [
        "a", "Z", "0", "9", "_", "-", ".", "*", ">", ":", "/", " ", "\t", "\n", "\0", "\u007F", "\u0085", "\u00A0",
        "\u00E9", "e\u0301", "\u0301", "\u00C5", "\u212B", "\u03A9", "\u2126", "\uFF21", "A", "\uFB01", "\u05D0", "\u4E2D",
        "\u00AD", "\u200B", "\u200D", "\u200E", "\u202E", "\u2060", "\uFEFF", "\u2028", "\u3000", "\uFFFD", "\uFFFF", "\uE000",
        "\U0001F600", "\U0001D11E", "\U000E0001", "\U0001D173", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D", "\uDE00",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The seed, to repeat a failing run.</summary>
    public int Seed { get; } = seed;

    /// <summary>Makes one text: usually a few pieces, sometimes one piece repeated past the length limits.</summary>
    /// <returns>The text.</returns>
    public string Next()
    {
        if (_random.Next(10) == 0)
        {
            var atom = Atoms[_random.Next(Atoms.Length)];
            var builder = new StringBuilder();
            var target = _random.Next(120, 260);
            while (builder.Length < target)
            {
                builder.Append(atom);
            }

            return builder.ToString();
        }

        var text = new StringBuilder();
        var count = _random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            // Mostly plain letters, so that many texts are valid and reach the store.
            text.Append(_random.Next(3) == 0 ? Atoms[_random.Next(Atoms.Length)] : ((char)('a' + _random.Next(26))).ToString());
        }

        return text.ToString();
    }

    /// <summary>Makes many texts.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The texts.</returns>
    public List<string> Take(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    /// <summary>Pairs that look alike or are canonically equal but differ in their code units: each must stay two names.</summary>
    public static IReadOnlyList<string> LookAlikes { get; } =
    [
        "caf\u00E9", "cafe\u0301", "\u00C5ngstr\u00F6m", "\u212Bngstr\u00F6m", "\u03A9hm", "\u2126hm", "Abc", "abc", "\uFF21bc",
        "\uFB01le", "file", "\U0001F600x", "\uFFFDx",
    ];

    /// <summary>Whether every surrogate of the text is paired.</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The stream id rule: 1–200 code units of well-formed text, no '.', '*', '>', whitespace, control or format character.</summary>
    public static bool IsValidId(string id) =>
        id.Length is >= 1 and <= StreamName.MaxIdLength && IsWellFormed(id) && CodePoints(id).All(cp =>
            cp is not ('.' or '*' or '>') && !IsWhiteSpace(cp) && !IsControlOrFormat(cp));

    /// <summary>The tag rule: 1–200 code units of well-formed text, no whitespace, control or format character.</summary>
    public static bool IsValidTag(string tag) =>
        tag.Length is >= 1 and <= 200 && IsWellFormed(tag) && CodePoints(tag).All(cp => !IsWhiteSpace(cp) && !IsControlOrFormat(cp));

    /// <summary>The metadata key rule: not empty, well-formed, no control or format character.</summary>
    public static bool IsValidKey(string key) => key.Length > 0 && IsWellFormed(key) && !CodePoints(key).Any(IsControlOrFormat);

    /// <summary>The type name rule: 1–128 of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsValidType(string type) => type.Length is >= 1 and <= 128 && type.All(IsWord);

    /// <summary>The consumer and queue name rule: 1–200 of <c>[A-Za-z0-9_-.:/]</c>.</summary>
    public static bool IsValidConsumer(string name) => name.Length is >= 1 and <= 200 && name.All(c => IsWord(c) || c is '.' or ':' or '/');

    private static bool IsWord(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';

    private static bool IsWhiteSpace(int cp) => cp <= char.MaxValue && char.IsWhiteSpace((char)cp);

    private static bool IsControlOrFormat(int cp) =>
        CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static IEnumerable<int> CodePoints(string wellFormed)
    {
        for (var i = 0; i < wellFormed.Length; i++)
        {
            var cp = char.ConvertToUtf32(wellFormed, i);
            if (cp > char.MaxValue)
            {
                i++;
            }

            yield return cp;
        }
    }
}
