using Annals.Storage;

namespace Annals.Deciders;

/// <summary>A stream's state as folded from its events, and the revision it was folded up to.</summary>
/// <typeparam name="TState">The state.</typeparam>
/// <param name="Stream">The stream.</param>
/// <param name="State">The state.</param>
/// <param name="Revision">The revision of the last event folded in; <see langword="null"/> when the stream has none.</param>
public sealed record StreamState<TState>(StreamName Stream, TState State, long? Revision)
{
    /// <summary>The expectation under which events decided from this state may be appended.</summary>
    public ExpectedRevision Expected => Revision is { } revision ? ExpectedRevision.Exact(revision) : ExpectedRevision.NoStream;
}
