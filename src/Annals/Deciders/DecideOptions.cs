using Annals.Serialization;

namespace Annals.Deciders;

/// <summary>How a command is decided and stored.</summary>
public sealed class DecideOptions
{
    /// <summary>Options with every default.</summary>
    public static DecideOptions Default { get; } = new();

    /// <summary>At most how many times a command is decided before a lost race becomes a <see cref="DecisionConflictException"/>; no cap but <see cref="RetryBudget"/> when <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// How long, from the start of the call on the typed store's clock, a command that keeps losing races is decided again; a
    /// lost race whose pause would end past it becomes a <see cref="DecisionConflictException"/>. The time spent reading and
    /// committing counts, so a busy stream gets fewer attempts than a quiet one.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause before the second attempt; each later one doubles it (up to 100 ms), with random jitter so racing deciders spread out.</summary>
    /// <value>The default value is 1 millisecond.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Whether the decision starts from the typed store's cache of folded states (<see cref="DecisionCacheOptions"/>), reading only
    /// the events stored since, and leaves its state there. <see langword="false"/> folds the stream (or filter) from the start, or
    /// from the stream's snapshot, and leaves the cache as it was (a state it holds stays true at its revision, and is brought up
    /// to date when next used). Turn it off for a decider whose state is mutable: cached states are shared between decisions.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// The command's id and correlation, written into the metadata of its events; a new correlation when <see langword="null"/>.
    /// Its <see cref="MessageContext.MessageId"/> names one command: the ids of the command's events derive from it
    /// (<see cref="EventIds"/>), so sending the command again with the same context stores nothing twice, and a context
    /// used again for another command on the same stream is taken for a resend of the first.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public MessageContext? Context { get; init; }

    /// <summary>Saves a snapshot of the state, in the same commit, whenever the stream's event count passes a multiple of this; none when <see langword="null"/>. The state type must be registered.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? SnapshotEvery { get; init; }

    /// <summary>Whether <see cref="SnapshotEvery"/> asks for a snapshot after the events that take a stream from one revision to another.</summary>
    internal bool SnapshotDue(long? revisionBefore, long revisionAfter) =>
        SnapshotEvery is { } every && SnapshotSchedule.PassesMultiple(every, revisionBefore, revisionAfter);

    internal void Validate()
    {
        if (MaxAttempts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "DecideOptions.MaxAttempts must be at least 1 when set.");
        }

        if (RetryBudget < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBudget), RetryBudget, "DecideOptions.RetryBudget must not be negative.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "DecideOptions.RetryDelay must not be negative.");
        }

        if (SnapshotEvery is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "DecideOptions.SnapshotEvery must be at least 1 when set.");
        }
    }
}
