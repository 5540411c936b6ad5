using System.Globalization;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>
/// Writes the jobs' events: each new job gets a <see cref="Requested"/> and up to two <see cref="Progressed"/>; a third of
/// them finish in the same append, a third in the next one (after a kill, to instances stored long before), and a third
/// stay open. The jobs' events are interleaved, a few per commit.
/// </summary>
/// <param name="codec">The codec of <see cref="JobDomain"/>.</param>
/// <param name="random">Picks the counts, fates and order.</param>
public sealed class JobPlan(EventCodec codec, Random random)
{
    private readonly List<string> _finishLater = [];
    private int _jobs;

    /// <summary>How many jobs were requested so far.</summary>
    public int Jobs => _jobs;

    /// <summary>How many events were appended so far.</summary>
    public int Events { get; private set; }

    /// <summary>Appends the events of new jobs, and the end of the jobs the last append left to finish later.</summary>
    /// <param name="store">The store.</param>
    /// <param name="newJobs">How many jobs to request.</param>
    /// <param name="cancellationToken">Cancels between commits.</param>
    /// <returns>The position of the last event appended.</returns>
    public async Task<long> AppendAsync(IEventWriter store, int newJobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sequences = new List<Queue<object>>();
        foreach (var job in _finishLater)
        {
            var sequence = new Queue<object>();
            if (random.Next(2) == 0)
            {
                sequence.Enqueue(new Progressed(job));
            }

            sequence.Enqueue(new Finished(job));
            sequences.Add(sequence);
        }

        _finishLater.Clear();
        for (var i = 0; i < newJobs; i++)
        {
            var job = string.Create(CultureInfo.InvariantCulture, $"j{_jobs++}");
            var sequence = new Queue<object>();
            sequence.Enqueue(new Requested(job));
            for (var p = random.Next(3); p > 0; p--)
            {
                sequence.Enqueue(new Progressed(job));
            }

            switch (random.Next(3))
            {
                case 0:
                    sequence.Enqueue(new Finished(job));
                    break;
                case 1:
                    _finishLater.Add(job);
                    break;
            }

            sequences.Add(sequence);
        }

        long last = 0;
        var batch = new Dictionary<string, List<EventData>>(StringComparer.Ordinal);
        var size = random.Next(1, 10);
        while (sequences.Count > 0)
        {
            var pick = random.Next(sequences.Count);
            var @event = sequences[pick].Dequeue();
            if (sequences[pick].Count == 0)
            {
                sequences.RemoveAt(pick);
            }

            var job = JobOf(@event);
            if (batch.ContainsKey(job) || batch.Values.Sum(e => e.Count) >= size)
            {
                last = await CommitAsync(store, batch, cancellationToken).ConfigureAwait(false);
                size = random.Next(1, 10);
            }

            if (!batch.TryGetValue(job, out var events))
            {
                batch[job] = events = [];
            }

            events.Add(codec.Encode(@event));
            Events++;
        }

        return batch.Count > 0 ? await CommitAsync(store, batch, cancellationToken).ConfigureAwait(false) : last;
    }

    private static string JobOf(object @event) => @event switch
    {
        Requested r => r.Job,
        Progressed p => p.Job,
        Finished f => f.Job,
        _ => throw new ArgumentException($"Not a job's event: {@event}.", nameof(@event)),
    };

    private static async Task<long> CommitAsync(IEventWriter store, Dictionary<string, List<EventData>> batch, CancellationToken cancellationToken)
    {
        var commit = new CommitBatch();
        foreach (var (job, events) in batch)
        {
            commit.Append(JobDomain.Stream(job), ExpectedRevision.Any, events);
        }

        batch.Clear();
        var result = await store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        return result.LastPosition ?? throw new InvalidOperationException("A commit of events reported no position.");
    }
}
