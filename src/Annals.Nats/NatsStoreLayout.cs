namespace Annals.Nats;

/// <summary>
/// Where a store lives on the server: its JetStream stream <c>annals_&lt;store&gt;</c> with the subjects
/// <c>&lt;store&gt;.&lt;category&gt;.&lt;id&gt;</c>, one key-value bucket per kind of record, and a plain NATS subject on which
/// each commit wakes the store's readers in every process.
/// </summary>
internal sealed class NatsStoreLayout(string store)
{
    /// <summary>What every store's stream name starts with.</summary>
    public const string StreamPrefix = "annals_";

    /// <summary>What the server names a key-value bucket's stream: this, then the bucket's name.</summary>
    public const string KvStreamPrefix = "KV_";

    public static readonly string[] BucketKinds = ["snapshots", "states", "checkpoints", "queue", "ids", "cutoffs", "leases"];

    public string Store { get; } = store;

    public string StreamName { get; } = StreamPrefix + store;

    public string AllSubjects { get; } = $"{store}.>";

    /// <summary>No store's subject starts with <c>_</c>: a store name starts with a letter.</summary>
    public string PulseSubject { get; } = $"_annals.{store}.pulse";

    public string Bucket(string kind) => $"annals_{Store}_{kind}";

    public string CategorySubjects(string category) => $"{Store}.{category}.>";
}
