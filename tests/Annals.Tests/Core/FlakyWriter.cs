using Annals.Storage;

namespace Annals.Tests.Core;

/// <summary>
/// A writer that throws a scripted error on its first attempts and then succeeds, recording every
/// attempt: the batch it was given and the token it got.
/// </summary>
internal sealed class FlakyWriter(Func<int, Exception?> errorOfAttempt) : IEventWriter
{
    public static readonly CommitResult Success = new([new AppendResult(StreamName.For("account", "1"), 0, 0, 1, 1)]);

    private readonly List<(CommitBatch Batch, CancellationToken Token)> _attempts = [];

    /// <summary>Fails its first <paramref name="failures"/> attempts with <see cref="StoreUnavailableException"/> naming the attempt.</summary>
    public static FlakyWriter FailingTimes(int failures) =>
        new(attempt => attempt <= failures ? new StoreUnavailableException($"attempt {attempt} lost the connection", null) : null);

    public int Attempts
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.Count;
            }
        }
    }

    public List<(CommitBatch Batch, CancellationToken Token)> AttemptsMade
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        int attempt;
        lock (_attempts)
        {
            _attempts.Add((batch, cancellationToken));
            attempt = _attempts.Count;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return errorOfAttempt(attempt) is { } error ? ValueTask.FromException<CommitResult>(error) : ValueTask.FromResult(Success);
    }
}
