using System.Buffers;
using System.Globalization;
using System.Text;

namespace Annals.Storage;

/// <summary>The character rules of every name in Annals, in one place so every backend agrees.</summary>
internal static class NameRules
{
    public const int MaxTypeLength = 128;
    public const int MaxConsumerNameLength = 200;

    public static string? CheckCategory(ReadOnlySpan<char> category)
    {
        if (category.IsEmpty)
        {
            return "the category is empty";
        }

        if (category.Length > StreamName.MaxCategoryLength)
        {
            return $"the category is {category.Length} characters long; at most {StreamName.MaxCategoryLength} are allowed";
        }

        foreach (var c in category)
        {
            if (!IsWordChar(c))
            {
                return $"the category contains '{Printable(c)}'; only letters, digits, '_' and '-' are allowed";
            }
        }

        return null;
    }

    /// <summary>
    /// A stream id: well-formed UTF-16 (every surrogate paired), none of '.', '*', '>', no whitespace, no control (Cc)
    /// or format (Cf) character. Format characters are invisible or turn the direction of text (U+200B, U+202E, U+FEFF),
    /// so two ids that look alike in a log or a terminal would name two streams. Ids are compared ordinal: canonically
    /// equivalent forms (NFC and NFD) are distinct ids, stored and read back as given.
    /// </summary>
    public static string? CheckStreamId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty)
        {
            return "the id is empty";
        }

        if (id.Length > StreamName.MaxIdLength)
        {
            return $"the id is {id.Length} characters long; at most {StreamName.MaxIdLength} are allowed";
        }

        for (var i = 0; i < id.Length;)
        {
            var c = id[i];
            if (c < 0x80)
            {
                // The common ASCII id: controls are below the space and DEL.
                if (c is '.' or '*' or '>' or <= ' ' or '\u007F')
                {
                    return StreamIdCharacter(Printable(c));
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(id[i..], out var rune, out var used) != OperationStatus.Done)
            {
                return UnpairedSurrogate("id", c, i);
            }

            if (Rune.IsWhiteSpace(rune) || IsControlOrFormat(rune))
            {
                return StreamIdCharacter(Printable(rune));
            }

            i += used;
        }

        return null;
    }

    /// <summary>
    /// An event's tag (<c>course:c1</c>): 1–200 code units of well-formed UTF-16 with no whitespace, control (Cc) or
    /// format (Cf) character, by the reasons of a stream id; any other character is allowed, '.', ':' and '*' included.
    /// No whitespace keeps a tag one token wherever it is printed or typed.
    /// </summary>
    public static string? CheckTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty)
        {
            return "the tag is empty";
        }

        if (tag.Length > EventStoreLimits.MaxTagLength)
        {
            return $"the tag is {tag.Length} characters long; at most {EventStoreLimits.MaxTagLength} are allowed";
        }

        for (var i = 0; i < tag.Length;)
        {
            if (Rune.DecodeFromUtf16(tag[i..], out var rune, out var used) != OperationStatus.Done)
            {
                return UnpairedSurrogate("tag", tag[i], i);
            }

            if (Rune.IsWhiteSpace(rune) || IsControlOrFormat(rune))
            {
                return $"the tag contains '{Printable(rune)}' at index {i}; whitespace, control and format characters are not allowed";
            }

            i += used;
        }

        return null;
    }

    /// <summary>A metadata key: not empty, well-formed UTF-16, no control (Cc) or format (Cf) character.</summary>
    public static string? CheckMetadataKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
        {
            return "the key is empty";
        }

        for (var i = 0; i < key.Length;)
        {
            if (Rune.DecodeFromUtf16(key[i..], out var rune, out var used) != OperationStatus.Done)
            {
                return UnpairedSurrogate("key", key[i], i);
            }

            if (IsControlOrFormat(rune))
            {
                return $"the key contains '{Printable(rune)}' at index {i}; control and format characters are not allowed";
            }

            i += used;
        }

        return null;
    }

    /// <summary>
    /// Free text that a store keeps (a metadata value, a message's last error): any characters, as long as the text is
    /// well-formed UTF-16, since an unpaired surrogate has no UTF-8 form and a backend would change or refuse it.
    /// </summary>
    public static string? CheckWellFormed(ReadOnlySpan<char> text, string what)
    {
        var bad = IndexOfUnpairedSurrogate(text);
        return bad < 0 ? null : UnpairedSurrogate(what, text[bad], bad);
    }

    /// <summary>The text with every unpaired surrogate replaced by U+FFFD, for text Annals writes itself from what it did not choose.</summary>
    public static string ToWellFormed(string text) =>
        IndexOfUnpairedSurrogate(text) < 0 ? text : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return i;
            }

            var next = text[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + 2 + next;
        }

        return -1;
    }

    private static bool IsControlOrFormat(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static string StreamIdCharacter(string printable) =>
        $"the id contains '{printable}'; '.', '*', '>', whitespace, control and format characters are not allowed";

    private static string UnpairedSurrogate(string what, char c, int index) =>
        $"the {what} holds an unpaired surrogate \\u{(int)c:X4} at index {index}; only well-formed UTF-16 text is allowed";

    public static string? CheckEventType(ReadOnlySpan<char> type) => CheckWord(type, MaxTypeLength, "type");

    /// <summary>Consumer (checkpoint) and queue names: words joined by '.', ':' or '/'.</summary>
    public static string? CheckConsumerName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return "the name is empty";
        }

        if (name.Length > MaxConsumerNameLength)
        {
            return $"the name is {name.Length} characters long; at most {MaxConsumerNameLength} are allowed";
        }

        foreach (var c in name)
        {
            if (!IsWordChar(c) && c is not ('.' or ':' or '/'))
            {
                return $"the name contains '{Printable(c)}'; only letters, digits, '_', '-', '.', ':' and '/' are allowed";
            }
        }

        return null;
    }

    private static string? CheckWord(ReadOnlySpan<char> value, int maxLength, string what)
    {
        if (value.IsEmpty)
        {
            return $"the {what} is empty";
        }

        if (value.Length > maxLength)
        {
            return $"the {what} is {value.Length} characters long; at most {maxLength} are allowed";
        }

        foreach (var c in value)
        {
            if (!IsWordChar(c))
            {
                return $"the {what} contains '{Printable(c)}'; only letters, digits, '_' and '-' are allowed";
            }
        }

        return null;
    }

    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:X4}" : c.ToString();

    private static string Printable(Rune rune) =>
        Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
            ? rune.IsBmp ? $"\\u{rune.Value:X4}" : $"\\U{rune.Value:X8}"
            : rune.ToString();
}
