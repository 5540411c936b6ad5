namespace Annals.Storage;

/// <summary>
/// What an append expects of its stream: anything, no stream, an existing stream, or an exact
/// revision (the 0-based revision of the stream's last event).
/// </summary>
/// <remarks>
/// <c>default(ExpectedRevision)</c> expects nothing on purpose: it is refused wherever an expectation is used
/// (<see cref="ArgumentException"/>), so a field left unset never silently asserts a revision nobody chose.
/// </remarks>
public readonly record struct ExpectedRevision
{
    // The default value's kind is Unset, none of the expectations.
    private readonly Kind _kind;
    private readonly long _revision;

    private ExpectedRevision(Kind kind, long revision = 0)
    {
        _kind = kind;
        _revision = revision;
    }

    private enum Kind : byte
    {
        Unset,
        Any,
        NoStream,
        StreamExists,
        Exact,
    }

    /// <summary>No check: the events are appended whatever the stream's state.</summary>
    public static ExpectedRevision Any { get; } = new(Kind.Any);

    /// <summary>The stream must not exist (never written, or deleted).</summary>
    public static ExpectedRevision NoStream { get; } = new(Kind.NoStream);

    /// <summary>The stream must exist, at any revision.</summary>
    public static ExpectedRevision StreamExists { get; } = new(Kind.StreamExists);

    /// <summary>The stream's last event must be at exactly this revision.</summary>
    /// <param name="revision">The expected revision of the stream's last event, 0 or more.</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is negative.</exception>
    public static ExpectedRevision Exact(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new ExpectedRevision(Kind.Exact, revision);
    }

    /// <summary>The expectation that matches a stream whose last revision is <paramref name="lastRevision"/>, or that does not exist when it is null.</summary>
    /// <param name="lastRevision">The last revision read, or <see langword="null"/> when the stream did not exist.</param>
    /// <returns><see cref="NoStream"/> or <see cref="Exact(long)"/>.</returns>
    public static ExpectedRevision From(long? lastRevision) => lastRevision is { } r ? Exact(r) : NoStream;

    /// <summary>Whether this is <see cref="Any"/>.</summary>
    public bool IsAny => _kind == Kind.Any;

    /// <summary>Whether this is <see cref="NoStream"/>.</summary>
    public bool IsNoStream => _kind == Kind.NoStream;

    /// <summary>Whether this is <see cref="StreamExists"/>.</summary>
    public bool IsStreamExists => _kind == Kind.StreamExists;

    /// <summary>Whether this is the default value, which expects nothing and is refused where an expectation is used.</summary>
    public bool IsUnset => _kind == Kind.Unset;

    /// <summary>The exact revision expected, or <see langword="null"/> for the other kinds.</summary>
    public long? Revision => _kind == Kind.Exact ? _revision : null;

    /// <summary>Whether a stream in the given state satisfies this expectation.</summary>
    /// <param name="lastRevision">The stream's last revision, or <see langword="null"/> when it does not exist.</param>
    /// <returns><see langword="true"/> when the expectation holds.</returns>
    /// <exception cref="InvalidOperationException">This is the default value, which expects nothing.</exception>
    public bool IsSatisfiedBy(long? lastRevision) => _kind switch
    {
        Kind.Any => true,
        Kind.NoStream => lastRevision is null,
        Kind.StreamExists => lastRevision is not null,
        Kind.Exact => lastRevision == _revision,
        _ => throw new InvalidOperationException(UnsetMessage),
    };

    /// <summary>Throws when <paramref name="expected"/> is the default value; returns it otherwise.</summary>
    internal static ExpectedRevision Check(ExpectedRevision expected, string paramName) =>
        expected.IsUnset ? throw new ArgumentException(UnsetMessage, paramName) : expected;

    private const string UnsetMessage =
        "The expected revision is default(ExpectedRevision), which expects nothing: use ExpectedRevision.Any, NoStream, StreamExists or Exact(revision).";

    /// <inheritdoc />
    public override string ToString() => _kind switch
    {
        Kind.Any => "any",
        Kind.NoStream => "no stream",
        Kind.StreamExists => "stream exists",
        Kind.Exact => _revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "unset",
    };
}
