using Orleans.EventSourcing.Common;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// Appending a journaled grain's events failed, or its outcome was lost (a timeout, a broken connection): the provider
/// reads the stream to learn whether the events were stored, and appends them again, with the same event ids, when
/// they were not. A <c>JournaledGrain</c> sees it in <c>OnConnectionIssue</c>.
/// </summary>
[GenerateSerializer]
public sealed class AnnalsLogWriteFailed : PrimaryOperationFailed
{
    /// <inheritdoc />
    public override string ToString() => $"appending to the grain's Annals stream failed: {Exception.GetType().Name}: {Exception.Message}";
}
