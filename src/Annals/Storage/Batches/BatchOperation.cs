namespace Annals.Storage;

/// <summary>
/// One operation of a <see cref="CommitBatch"/>. Every operation of a batch takes effect, or none does.
/// Each operation checks its arguments when made, so a malformed one never reaches a store.
/// </summary>
/// <remarks>
/// The kinds of operation are Annals' own: no type outside this package derives from this one, and each kind has
/// its <see cref="OperationKind"/>. Code that handles operations switches over <see cref="Kind"/> and throws on a
/// value it does not know, so a kind added later fails a test rather than being skipped.
/// </remarks>
public abstract class BatchOperation
{
    private protected BatchOperation(OperationKind kind)
    {
        Kind = kind;
    }

    /// <summary>The operation's kind, which names its type.</summary>
    public OperationKind Kind { get; }

    private protected static string CheckName(string name, NameKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        var error = kind switch
        {
            NameKind.Type => NameRules.CheckEventType(name),
            _ => NameRules.CheckConsumerName(name),
        };
        return error is null ? name : throw new InvalidNameException(kind, name, error);
    }

    private protected static StreamName CheckStream(StreamName stream, string paramName) =>
        stream.IsEmpty ? throw new ArgumentException("The stream name is the default value and names no stream.", paramName) : stream;
}
