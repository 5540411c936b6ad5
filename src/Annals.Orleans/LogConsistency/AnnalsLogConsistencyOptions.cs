using Annals.Storage;
using Orleans.Runtime;

namespace Annals.Orleans.LogConsistency;

/// <summary>How the Annals log-consistency provider stores the journaled grains that use it.</summary>
public sealed class AnnalsLogConsistencyOptions
{
    /// <summary>
    /// How many events between snapshots of a grain's state: one is saved whenever the stream's event count passes a
    /// multiple of it, with the events that got it there (after them, on a store that cannot commit both at once).
    /// 0 saves none. When it is not 0, the grain's state type must be registered in the <c>TypeRegistry</c>, or the
    /// grain fails to activate.
    /// </summary>
    /// <value>The default value is 100.</value>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>
    /// The name of the Annals store to use: its <c>IEventStore</c>, <c>EventCodec</c> and <c>TypeRegistry</c> are resolved
    /// as keyed services with this key (the name given to <c>AddAnnals(name, …)</c>); <see langword="null"/> resolves them
    /// without a key.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? StoreName { get; set; }

    /// <summary>
    /// Names the stream of a grain. <see langword="null"/> uses <see cref="AnnalsGrainStreams.For(GrainId, Type)"/>: the
    /// category of the grain class's <see cref="AnnalsStreamAttribute"/>, else of its grain type, and an id that encodes
    /// the grain's key. A function given here must give every grain its own stream, the same one every time.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<GrainId, StreamName>? StreamFor { get; set; }

    internal void Validate()
    {
        if (SnapshotEvery < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SnapshotEvery), SnapshotEvery, "AnnalsLogConsistencyOptions.SnapshotEvery must be 0 (no snapshots) or more.");
        }

        if (StoreName is { Length: 0 })
        {
            throw new ArgumentException("AnnalsLogConsistencyOptions.StoreName must not be empty; leave it null for the store registered without a name.", nameof(StoreName));
        }
    }
}
