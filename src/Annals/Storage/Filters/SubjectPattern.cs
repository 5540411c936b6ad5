namespace Annals.Storage;

/// <summary>
/// One parsed subject pattern, <c>category.id.type</c>, where a <see langword="null"/> token is a wildcard.
/// </summary>
/// <remarks>Each token is checked by the rule of its name when the pattern is made; the default value is <c>&gt;</c>, every event.</remarks>
/// <param name="Category">The category to match, or <see langword="null"/> for any.</param>
/// <param name="Id">The stream id to match, or <see langword="null"/> for any.</param>
/// <param name="Type">The event type to match, or <see langword="null"/> for any.</param>
/// <exception cref="InvalidFilterException">A token breaks the rule of its name.</exception>
public readonly record struct SubjectPattern(string? Category, string? Id, string? Type)
{
    /// <summary>The category to match, or <see langword="null"/> for any.</summary>
    public string? Category { get; } = Checked(Category, 0);

    /// <summary>The stream id to match, or <see langword="null"/> for any.</summary>
    public string? Id { get; } = Checked(Id, 1);

    /// <summary>The event type to match, or <see langword="null"/> for any.</summary>
    public string? Type { get; } = Checked(Type, 2);

    /// <summary>
    /// Parses a pattern: <c>category</c>, <c>category.id</c> or <c>category.id.type</c>, where
    /// <c>*</c> matches one token and a final <c>&gt;</c> matches the rest. Missing tokens match anything.
    /// </summary>
    /// <param name="pattern">The pattern, e.g. <c>account.&gt;</c> or <c>*.*.Deposited</c>.</param>
    /// <returns>The parsed pattern.</returns>
    /// <exception cref="InvalidFilterException">The pattern is malformed.</exception>
    public static SubjectPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new InvalidFilterException(pattern, "the pattern is empty");
        }

        var tokens = pattern.Split('.');
        if (tokens.Length > 3)
        {
            throw new InvalidFilterException(pattern, $"a subject has at most 3 tokens (category.id.type) and this pattern has {tokens.Length}");
        }

        var parsed = new string?[3];
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token == ">")
            {
                if (i != tokens.Length - 1)
                {
                    throw new InvalidFilterException(pattern, "'>' may only be the last token");
                }

                break;
            }

            if (token == "*")
            {
                continue;
            }

            if (CheckToken(token, i) is { } error)
            {
                throw new InvalidFilterException(pattern, $"token {i + 1} '{token}' is invalid: {error}");
            }

            parsed[i] = token;
        }

        return new SubjectPattern(parsed[0], parsed[1], parsed[2]);
    }

    /// <summary>Whether an event of the given stream and type matches.</summary>
    /// <param name="stream">The event's stream.</param>
    /// <param name="type">The event's type.</param>
    /// <returns><see langword="true"/> when every non-wildcard token is equal.</returns>
    public bool Matches(StreamName stream, string type) =>
        (Category is null || stream.CategorySpan.SequenceEqual(Category))
        && (Id is null || stream.IdSpan.SequenceEqual(Id))
        && (Type is null || string.Equals(Type, type, StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToString()
    {
        if (Type is not null)
        {
            return $"{Category ?? "*"}.{Id ?? "*"}.{Type}";
        }

        if (Id is not null)
        {
            return $"{Category ?? "*"}.{Id}";
        }

        return Category is null ? ">" : Category;
    }

    private static string? CheckToken(string token, int index) => index switch
    {
        0 => NameRules.CheckCategory(token),
        1 => NameRules.CheckStreamId(token),
        _ => NameRules.CheckEventType(token),
    };

    private static string? Checked(string? token, int index) =>
        token is not null && CheckToken(token, index) is { } error
            ? throw new InvalidFilterException(token, $"token {index + 1} '{token}' is invalid: {error}")
            : token;
}
