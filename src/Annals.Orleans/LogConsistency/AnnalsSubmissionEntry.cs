using Annals.Storage;
using Orleans.EventSourcing.Common;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// A raised event waiting to be confirmed, encoded once when it is raised: every attempt to append it sends the same
/// event id, so the store recognises an attempt whose outcome was lost instead of storing the event twice.
/// </summary>
/// <typeparam name="TEntry">The grain's event type.</typeparam>
internal sealed class AnnalsSubmissionEntry<TEntry> : SubmissionEntry<TEntry>
{
    public required EventData Event { get; init; }
}
