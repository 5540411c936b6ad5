using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Nats;

/// <summary>
/// What a commit read before deciding its batch: the planner's view of the store, and the server's versions of it that
/// the write then expects (each stream's last subject sequence, the stream-wide last sequence for append conditions,
/// each record's key-value revision), so that a write made on a view another process has changed since fails whole.
/// </summary>
internal sealed class NatsCommitLoad
{
    /// <param name="now">When the commit is decided.</param>
    /// <param name="reserved">The event ids the commit reserved so far, kept over its attempts.</param>
    public NatsCommitLoad(DateTimeOffset now, Dictionary<string, ulong> reserved)
    {
        State = new StoredState { Head = PlannedHead, QueueSequence = now.UtcTicks };
        Reserved = reserved;
    }

    /// <summary>
    /// The head the planner numbers new events after: above every stored position, so that an id stored before is told
    /// from one the batch adds. The store numbers them again from the message's sequence once the server stored it.
    /// </summary>
    public const long PlannedHead = 1L << 60;

    public StoredState State { get; }

    public Dictionary<StreamName, ulong> Sequences { get; } = [];

    public ulong? LastSequence { get; set; }

    public Dictionary<string, ulong> Revisions { get; } = new(StringComparer.Ordinal);

    public Dictionary<MessageKey, (QueueMessage Message, long Sequence)> Messages { get; } = [];

    /// <summary>
    /// The event ids this commit reserved in any of its attempts, each with the revision of its reservation: the commit's
    /// own, renewed by a later attempt and released again when the commit fails.
    /// </summary>
    public Dictionary<string, ulong> Reserved { get; }

    /// <summary>Whether a head came from the cache, which may be behind the server's.</summary>
    public bool UsedCache { get; set; }

    /// <summary>Whether an event id is being written to another stream by a commit still under way: decide again shortly.</summary>
    public bool Busy { get; set; }

    public static string RecordKey(string bucket, string key) => $"{bucket}/{key}";
}
