using System.Diagnostics.CodeAnalysis;

namespace Annals.Storage;

/// <summary>
/// The name of a stream: <c>category.id</c>, for example <c>account.42</c>.
/// </summary>
/// <remarks>
/// The category is 1–64 characters of <c>[A-Za-z0-9_-]</c>. The id is 1–200 characters with no
/// <c>.</c>, <c>*</c>, <c>&gt;</c>, whitespace or control character. A name is validated when it is
/// made, so an invalid name never reaches a store.
/// </remarks>
public readonly record struct StreamName
{
    /// <summary>The longest category allowed.</summary>
    public const int MaxCategoryLength = 64;

    /// <summary>The longest id allowed.</summary>
    public const int MaxIdLength = 200;

    private readonly string? _value;
    private readonly int _separator;

    private StreamName(string value, int separator)
    {
        _value = value;
        _separator = separator;
    }

    /// <summary>The whole name, <c>category.id</c>.</summary>
    public string Value => _value ?? throw new InvalidOperationException("The stream name is the default value and names no stream.");

    /// <summary>The category, the part before the dot.</summary>
    public string Category => Value[.._separator];

    /// <summary>The id, the part after the dot.</summary>
    public string Id => Value[(_separator + 1)..];

    /// <summary>Makes a stream name from a category and an id.</summary>
    /// <param name="category">The category, e.g. <c>account</c>.</param>
    /// <param name="id">The id within the category, e.g. <c>42</c>.</param>
    /// <returns>The validated name.</returns>
    /// <exception cref="InvalidNameException">The category or the id is malformed.</exception>
    public static StreamName For(string category, string id)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(id);
        var categoryError = NameRules.CheckCategory(category);
        if (categoryError is not null)
        {
            throw new InvalidNameException(NameKind.Stream, category + "." + id, categoryError);
        }

        var idError = NameRules.CheckStreamId(id);
        if (idError is not null)
        {
            throw new InvalidNameException(NameKind.Stream, category + "." + id, idError);
        }

        return new StreamName(category + "." + id, category.Length);
    }

    /// <summary>Parses <c>category.id</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The validated name.</returns>
    /// <exception cref="InvalidNameException">The text is not a valid stream name.</exception>
    public static StreamName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var error = TryParseCore(value, out var name);
        return error is null ? name : throw new InvalidNameException(NameKind.Stream, value, error);
    }

    /// <summary>Parses <c>category.id</c> without throwing.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="name">The name when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a valid stream name.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out StreamName name)
    {
        name = default;
        return value is not null && TryParseCore(value, out name) is null;
    }

    private static string? TryParseCore(string value, out StreamName name)
    {
        name = default;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return "a stream name is 'category.id' and this one has no '.'";
        }

        var error = NameRules.CheckCategory(value.AsSpan(0, dot)) ?? NameRules.CheckStreamId(value.AsSpan(dot + 1));
        if (error is not null)
        {
            return error;
        }

        name = new StreamName(value, dot);
        return null;
    }

    /// <summary>The category as a span, without allocating.</summary>
    internal ReadOnlySpan<char> CategorySpan => Value.AsSpan(0, _separator);

    /// <summary>The id as a span, without allocating.</summary>
    internal ReadOnlySpan<char> IdSpan => Value.AsSpan(_separator + 1);

    /// <summary>Whether this is the default value, which names no stream.</summary>
    public bool IsEmpty => _value is null;

    /// <inheritdoc />
    public bool Equals(StreamName other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Parses a string into a stream name.</summary>
    /// <param name="value">The text to parse.</param>
    public static explicit operator StreamName(string value) => Parse(value);
}
