namespace Annals;

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

        foreach (var c in id)
        {
            if (c is '.' or '*' or '>' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"the id contains '{Printable(c)}'; '.', '*', '>', whitespace and control characters are not allowed";
            }
        }

        return null;
    }

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
}
