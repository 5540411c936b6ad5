using System.Globalization;
using System.Text.Json;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>What the jobs' log, the process's instances, its queues and the receipts hold once everything is handled and delivered.</summary>
/// <param name="Jobs">Jobs requested.</param>
/// <param name="Events">The jobs' events.</param>
/// <param name="Finished">Jobs finished.</param>
/// <param name="Timeouts">Timeouts pending.</param>
/// <param name="Commands">Commands delivered (distinct message ids of the receipts).</param>
/// <param name="Receipts">Receipts stored: one per delivery.</param>
/// <param name="Problems">Every way the store differs from what the log says it should hold; none when all is well.</param>
public sealed record JobFigures(int Jobs, int Events, int Finished, int Timeouts, int Commands, int Receipts, IReadOnlyList<string> Problems)
{
    /// <summary>Receipts beyond the first of their command: deliveries again after a kill.</summary>
    public int Duplicates => Receipts - Commands;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Events} events of {Jobs} jobs ({Finished} finished); {Timeouts} timeouts pending; {Commands} commands delivered with {Receipts} receipts ({Duplicates} duplicates)");
}

/// <summary>Checks a store the <c>process</c> worker ran on against the jobs' log (see <see cref="JobProcess"/>).</summary>
public static class JobCheck
{
    private static readonly TimeSpan FarAhead = TimeSpan.FromHours(12);

    /// <summary>
    /// Checks that the process handled every job's event exactly once (each open instance's state and count of scheduled
    /// timeouts, no state left of a finished one), that exactly one timeout is pending per open job and none for a
    /// finished one, that no command is left to deliver, and that every command was delivered under the id derived from
    /// its event, none under another, and more than once only where a kill left it delivered and still queued.
    /// </summary>
    /// <param name="store">The store, with no worker running on it.</param>
    /// <param name="redeliveries">The commands a kill may have left delivered and still queued, each with how many times.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The figures, with the problems found.</returns>
    public static async Task<JobFigures> RunAsync(IEventStore store, IReadOnlyDictionary<Guid, int> redeliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(redeliveries);
        var codec = JobDomain.Codec();
        var problems = new List<string>();
        var jobs = new Dictionary<string, (Guid Requested, int Progressed, bool Finished)>(StringComparer.Ordinal);
        var events = 0;
        long last = 0;
        await foreach (var record in store.ReadAllAsync(0, EventFilter.ForCategories(JobDomain.Category), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events++;
            last = record.Position;
            switch (codec.Decode(record).Single())
            {
                case Requested r:
                    jobs.Add(r.Job, (record.EventId, 0, false));
                    break;
                case Progressed p:
                    jobs[p.Job] = jobs[p.Job] with { Progressed = jobs[p.Job].Progressed + 1 };
                    break;
                case Finished f:
                    jobs[f.Job] = jobs[f.Job] with { Finished = true };
                    break;
            }
        }

        if (await store.ReadCheckpointAsync(JobDomain.Checkpoint, cancellationToken).ConfigureAwait(false) is not { } checkpoint || checkpoint < last)
        {
            problems.Add($"The process's checkpoint is short of the last job event, {last}.");
        }

        var now = DateTimeOffset.UtcNow;
        var pending = new Dictionary<Guid, string>();
        foreach (var (job, (_, progressed, finished)) in jobs)
        {
            var stored = await store.ReadStateAsync(JobDomain.InstanceKey(job), cancellationToken).ConfigureAwait(false);
            if (finished)
            {
                if (stored is not null)
                {
                    problems.Add($"Job {job} finished, yet its instance is stored (version {stored.Version}).");
                }

                continue;
            }

            if (stored is null)
            {
                problems.Add($"Job {job} is open, yet no instance of it is stored.");
                continue;
            }

            using var record = JsonDocument.Parse(stored.Data);
            var root = record.RootElement;
            if (!codec.TryDecodeState<JobState>(root.GetProperty("type").GetString()!, root.GetProperty("state").GetBytesFromBase64(), out var state, out var skipped))
            {
                problems.Add($"Job {job}'s state cannot be read: {skipped}.");
                continue;
            }

            if (state.Job != job || state.Handled != 1 + progressed)
            {
                problems.Add($"Job {job}'s instance counted {state.Handled} events of its {1 + progressed} (state {state}).");
            }

            var timeouts = root.GetProperty("timeouts").EnumerateObject().ToList();
            if (timeouts is not [{ Name: JobDomain.Timeout } timeout])
            {
                problems.Add($"Job {job}'s instance waits for timeouts [{string.Join(", ", timeouts.Select(t => t.Name))}], not one '{JobDomain.Timeout}'.");
                continue;
            }

            var id = timeout.Value.GetGuid();
            pending[id] = job;
            var message = await store.ReadMessageAsync(JobDomain.TimeoutQueue, id, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                problems.Add($"Job {job}'s pending timeout {id} is not in the queue.");
            }
            else if (message.Metadata.GetValueOrDefault("process-instance") != job || message.Metadata.GetValueOrDefault("process-timeout") != JobDomain.Timeout || message.DueAt < now + FarAhead)
            {
                problems.Add($"Job {job}'s pending timeout {id} is for instance {message.Metadata.GetValueOrDefault("process-instance")}, named {message.Metadata.GetValueOrDefault("process-timeout")}, due {message.DueAt:O}.");
            }
        }

        var queued = await store.ReadDueMessagesAsync(JobDomain.TimeoutQueue, DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var stray in queued.Where(m => !pending.ContainsKey(m.MessageId)))
        {
            problems.Add($"Timeout {stray.MessageId} of instance {stray.Metadata.GetValueOrDefault("process-instance")} is queued, but no open instance waits for it.");
        }

        var commands = await store.ReadDueMessagesAsync(JobDomain.CommandQueue, DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var left in commands)
        {
            problems.Add($"Command {left.MessageId} is still queued (failures {left.FailureCount}, due {left.DueAt:O}, error {left.LastError}).");
        }

        var expected = jobs.ToDictionary(j => JobDomain.CommandId(j.Key, j.Value.Requested), j => j.Key);
        var receipts = new List<Receipt>();
        await foreach (var record in store.ReadStreamAsync(JobDomain.Receipts, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            receipts.Add((Receipt)codec.Decode(record).Single());
        }

        var delivered = receipts.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (id, job) in expected.Where(e => !delivered.ContainsKey(e.Key)))
        {
            problems.Add($"Job {job}'s command {id} was never delivered.");
        }

        foreach (var (id, copies) in delivered)
        {
            if (!expected.TryGetValue(id, out var job))
            {
                problems.Add($"A command {id} for job {copies[0].Job} was delivered that no event sent under that id.");
            }
            else if (copies.Any(c => c.Job != job))
            {
                problems.Add($"Command {id} of job {job} was delivered for job {copies.First(c => c.Job != job).Job}.");
            }

            if (copies.Count > 1 + redeliveries.GetValueOrDefault(id))
            {
                problems.Add($"Command {id} was delivered {copies.Count} times (attempts {string.Join(", ", copies.Select(c => c.Attempt))}), but kills left it delivered and queued only {redeliveries.GetValueOrDefault(id)} times.");
            }
        }

        return new JobFigures(jobs.Count, events, jobs.Values.Count(j => j.Finished), queued.Count, delivered.Count, receipts.Count, problems);
    }
}
