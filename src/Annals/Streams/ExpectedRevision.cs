namespace Annals;

/// <summary>
/// What an append expects of its stream: anything, no stream, an existing stream, or an exact
/// revision (the 0-based revision of the stream's last event).
/// </summary>
public readonly record struct ExpectedRevision
{
    private const long AnyValue = -1;
    private const long NoStreamValue = -2;
    private const long StreamExistsValue = -3;

    private readonly long _value;

    private ExpectedRevision(long value) => _value = value;

    /// <summary>No check: the events are appended whatever the stream's state.</summary>
    public static ExpectedRevision Any { get; } = new(AnyValue);

    /// <summary>The stream must not exist (never written, or deleted).</summary>
    public static ExpectedRevision NoStream { get; } = new(NoStreamValue);

    /// <summary>The stream must exist, at any revision.</summary>
    public static ExpectedRevision StreamExists { get; } = new(StreamExistsValue);

    /// <summary>The stream's last event must be at exactly this revision.</summary>
    /// <param name="revision">The expected revision of the stream's last event, 0 or more.</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is negative.</exception>
    public static ExpectedRevision Exact(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new ExpectedRevision(revision);
    }

    /// <summary>The expectation that matches a stream whose last revision is <paramref name="lastRevision"/>, or that does not exist when it is null.</summary>
    /// <param name="lastRevision">The last revision read, or <see langword="null"/> when the stream did not exist.</param>
    /// <returns><see cref="NoStream"/> or <see cref="Exact(long)"/>.</returns>
    public static ExpectedRevision From(long? lastRevision) => lastRevision is { } r ? Exact(r) : NoStream;

    /// <summary>Whether this is <see cref="Any"/>.</summary>
    public bool IsAny => _value == AnyValue;

    /// <summary>Whether this is <see cref="NoStream"/>.</summary>
    public bool IsNoStream => _value == NoStreamValue;

    /// <summary>Whether this is <see cref="StreamExists"/>.</summary>
    public bool IsStreamExists => _value == StreamExistsValue;

    /// <summary>The exact revision expected, or <see langword="null"/> for the other kinds.</summary>
    public long? Revision => _value >= 0 ? _value : null;

    /// <summary>Whether a stream in the given state satisfies this expectation.</summary>
    /// <param name="lastRevision">The stream's last revision, or <see langword="null"/> when it does not exist.</param>
    /// <returns><see langword="true"/> when the expectation holds.</returns>
    public bool IsSatisfiedBy(long? lastRevision) => _value switch
    {
        AnyValue => true,
        NoStreamValue => lastRevision is null,
        StreamExistsValue => lastRevision is not null,
        _ => lastRevision == _value,
    };

    /// <inheritdoc />
    public override string ToString() => _value switch
    {
        AnyValue => "any",
        NoStreamValue => "no stream",
        StreamExistsValue => "stream exists",
        _ => _value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
