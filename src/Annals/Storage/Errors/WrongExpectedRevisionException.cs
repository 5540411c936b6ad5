namespace Annals.Storage;

/// <summary>An append's (or a truncate's or delete's) expected revision did not match the stream.</summary>
public sealed class WrongExpectedRevisionException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the operation expected.</param>
    /// <param name="actual">The stream's last revision, or <see langword="null"/> when it does not exist.</param>
    public WrongExpectedRevisionException(StreamName stream, ExpectedRevision expected, long? actual)
        : base($"Stream '{stream}' was expected {DescribeExpected(expected)} but {(actual is { } a ? $"is at revision {a}" : "does not exist")}.")
    {
        Stream = stream;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }

    /// <summary>What the operation expected.</summary>
    public ExpectedRevision Expected { get; }

    /// <summary>The stream's last revision, or <see langword="null"/> when it does not exist.</summary>
    public long? Actual { get; }

    private static string DescribeExpected(ExpectedRevision expected) =>
        expected.IsNoStream ? "not to exist" : expected.IsStreamExists ? "to exist" : $"at revision {expected}";
}
