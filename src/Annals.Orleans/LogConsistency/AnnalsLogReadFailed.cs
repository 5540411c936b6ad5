using Orleans.EventSourcing.Common;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// Reading a journaled grain's stream failed; the provider reads again after the retry delay, until it succeeds.
/// A <c>JournaledGrain</c> sees it in <c>OnConnectionIssue</c>, and in <c>OnConnectionIssueResolved</c> once a read succeeds.
/// </summary>
[GenerateSerializer]
public sealed class AnnalsLogReadFailed : PrimaryOperationFailed
{
    /// <inheritdoc />
    public override string ToString() => $"reading the grain's Annals stream failed: {Exception.GetType().Name}: {Exception.Message}";
}
