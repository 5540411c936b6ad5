namespace Annals.Storage;

/// <summary>A name (stream, type, consumer, queue, store or tag) is malformed. Raised before any I/O.</summary>
public sealed class InvalidNameException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="kind">What kind of name it is.</param>
    /// <param name="name">The name as given.</param>
    /// <param name="reason">Why it is invalid.</param>
    public InvalidNameException(NameKind kind, string name, string reason)
        : base($"Invalid {Describe(kind)} name '{name}': {reason}.")
    {
        Kind = kind;
        Name = name;
        Reason = reason;
    }

    /// <summary>What kind of name it is.</summary>
    public NameKind Kind { get; }

    /// <summary>The name as given.</summary>
    public string Name { get; }

    /// <summary>Why it is invalid.</summary>
    public string Reason { get; }

    private static string Describe(NameKind kind) => kind switch
    {
        NameKind.Stream => "stream",
        NameKind.Category => "category",
        NameKind.Type => "type",
        NameKind.Consumer => "consumer",
        NameKind.Store => "store",
        NameKind.Tag => "tag",
        _ => "queue",
    };
}
