using Annals.Projections;
using Annals.Storage;

namespace Annals.Processes;

/// <summary>
/// The commands and timeouts processes have parked after their last attempt: listed by anyone, and replayed on request
/// (from any process, the CLI included): a replayed message is due at once, and the process's owner delivers it again.
/// </summary>
public static class ParkedProcessMessages
{
    /// <summary>Lists a process's parked commands and timeouts.</summary>
    /// <param name="store">The store.</param>
    /// <param name="process">The process's name.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The parked messages, commands first.</returns>
    public static async Task<IReadOnlyList<ParkedProcessMessage>> ListAsync(IEventStore store, string process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ProcessNames.CheckProcess(process);
        var parked = new List<ParkedProcessMessage>();
        foreach (var (kind, queue) in Queues(process))
        {
            foreach (var message in await ParkedAsync(store, queue, cancellationToken).ConfigureAwait(false))
            {
                message.Metadata.TryGetValue(InstanceKeys.Instance, out var instance);
                message.Metadata.TryGetValue(InstanceKeys.Target, out var target);
                message.Metadata.TryGetValue(InstanceKeys.Timeout, out var timeout);
                parked.Add(new ParkedProcessMessage(process, kind, message.MessageId, message.Type, instance ?? string.Empty, target, timeout, message.FailureCount, message.LastError, message.EnqueuedAt));
            }
        }

        return parked;
    }

    /// <summary>Makes a process's parked messages due now, with their failure count kept, so its owner tries them again.</summary>
    /// <param name="store">The store.</param>
    /// <param name="process">The process's name.</param>
    /// <param name="messageId">Only this message; every parked one when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of "now"; the system clock when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many messages were made due.</returns>
    public static async Task<int> ReplayAsync(IEventStore store, string process, Guid? messageId = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ProcessNames.CheckProcess(process);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var replayed = 0;
        foreach (var (_, queue) in Queues(process))
        {
            var commit = new CommitBatch();
            foreach (var message in await ParkedAsync(store, queue, cancellationToken).ConfigureAwait(false))
            {
                if (messageId is null || message.MessageId == messageId)
                {
                    commit.Reschedule(queue, message.MessageId, message.Revision, now, message.FailureCount, message.LastError);
                    replayed++;
                }
            }

            if (commit.Operations.Count > 0)
            {
                await store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            }
        }

        return replayed;
    }

    private static (ProcessMessageKind Kind, string Queue)[] Queues(string process) =>
        [(ProcessMessageKind.Command, ProcessNames.Commands(process)), (ProcessMessageKind.Timeout, ProcessNames.Timeouts(process))];

    private static async Task<IEnumerable<QueueMessage>> ParkedAsync(IEventStore store, string queue, CancellationToken cancellationToken) =>
        (await store.ReadDueMessagesAsync(queue, DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false))
        .Where(m => m.DueAt >= ParkedEvents.NotDue);
}
