using System.Diagnostics.CodeAnalysis;

namespace Annals.Storage.Providers;

/// <summary>How a <see cref="CommitPlanner"/> decided one batch: its result, or the error it fails with.</summary>
public readonly struct BatchDecision
{
    private BatchDecision(CommitResult? result, AnnalsException? error, bool replayed, bool runsSqlWork)
    {
        Result = result;
        Error = error;
        Replayed = replayed;
        RunsSqlWork = runsSqlWork;
    }

    /// <summary>What the batch stored, when it succeeds; <see langword="null"/> when it fails.</summary>
    public CommitResult? Result { get; }

    /// <summary>What the batch fails with, when it fails; <see langword="null"/> when it succeeds.</summary>
    public AnnalsException? Error { get; }

    /// <summary>Whether the batch succeeds: <see cref="Result"/> is set, else <see cref="Error"/> is.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Result is not null;

    /// <summary>Whether the batch is a replay: its events are stored, so it committed before, and its SQL works do not run again.</summary>
    public bool Replayed { get; }

    /// <summary>
    /// Whether the store must now run the batch's SQL works, in order: the batch succeeds, holds SQL work, and is not a
    /// replay. When a work fails, the store undoes its effects and calls <see cref="CommitPlanner.UndoLast"/>.
    /// </summary>
    [MemberNotNullWhen(true, nameof(Result))]
    public bool RunsSqlWork { get; }

    internal static BatchDecision Success(CommitResult result, bool replayed, bool runsSqlWork) => new(result, null, replayed, runsSqlWork);

    internal static BatchDecision Failure(AnnalsException error) => new(null, error, false, false);
}
