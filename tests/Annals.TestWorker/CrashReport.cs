using System.Globalization;
using Annals.Storage;
using Xunit;

namespace Annals.TestWorker;

/// <summary>
/// What crash workers (<c>crash</c>, <see cref="CrashCommand"/>) said over runs that were each killed: every batch they
/// tried and what the store told them of those it acknowledged; and the checks of a store's log against it.
/// </summary>
public sealed class CrashReport
{
    private readonly List<CrashBatch> _batches = [];

    /// <summary>Every batch tried, in every run, in order.</summary>
    public IReadOnlyList<CrashBatch> Batches => _batches;

    /// <summary>The batches acknowledged, in every run.</summary>
    public IEnumerable<CrashBatch> Acknowledged => _batches.Where(b => b.Acknowledgement is not null);

    /// <summary>Takes in what one run printed. A line cut by the kill lacks the final " ." and is ignored.</summary>
    public void Record(IEnumerable<string> lines)
    {
        // A writer's numbers do not repeat in one run: an acknowledgement is of the batch tried under its number in the same run.
        var run = new Dictionary<(int Writer, long Number), CrashBatch>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts.Length < 2 || parts[^1] != ".")
            {
                continue;
            }

            if (parts[0] == "TRY" && parts.Length == 5)
            {
                var batch = new CrashBatch(Int(parts[1]), Long(parts[2]), [.. parts[3].Split(',').Select(Guid.Parse)]);
                run.Add((batch.Writer, batch.Number), batch);
                _batches.Add(batch);
            }
            else if (parts[0] == "ACK" && parts.Length == 8)
            {
                var batch = run[(Int(parts[1]), Long(parts[2]))];
                batch.Acknowledgement = new CrashAcknowledgement(Long(parts[3]), Long(parts[4]), Long(parts[5]), Long(parts[6]));
            }
        }

        static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks a store's whole log against every run so far: each event is stored once, in increasing positions, each
    /// stream's revisions run on from 0 with no gap; every batch tried is there whole or not at all, and no event is
    /// stored that no batch tried; every acknowledged batch is stored where the store said, in its writer's stream.
    /// </summary>
    /// <param name="log">The store's whole log.</param>
    /// <param name="writers">How many writers each run had.</param>
    /// <returns>How many batches of each writer are stored.</returns>
    public int[] Check(IReadOnlyList<RecordedEvent> log, int writers)
    {
        LogChecks.PositionsStrictlyIncrease(log, "the log");
        LogChecks.RevisionsAreContiguous(log);
        var byId = new Dictionary<Guid, RecordedEvent>();
        foreach (var e in log)
        {
            if (!byId.TryAdd(e.EventId, e))
            {
                Assert.Fail($"Event id {e.EventId} is stored twice: at {LogChecks.Show(byId[e.EventId])} and {LogChecks.Show(e)}.");
            }
        }

        var stored = new int[writers];
        foreach (var batch in _batches)
        {
            var present = batch.EventIds.Count(byId.ContainsKey);
            Assert.True(present == 0 || present == batch.EventIds.Length, $"{batch} is partial: {present} of its {batch.EventIds.Length} events are stored.");
            stored[batch.Writer] += present == 0 ? 0 : 1;
        }

        var tried = _batches.SelectMany(b => b.EventIds).ToHashSet();
        var unknown = log.FirstOrDefault(e => !tried.Contains(e.EventId));
        Assert.True(unknown is null, $"The log holds {LogChecks.Show(unknown)}, which no batch tried.");

        foreach (var batch in Acknowledged)
        {
            var at = batch.Acknowledgement!;
            Assert.Equal(at.LastRevision, at.FirstRevision + batch.EventIds.Length - 1);
            Assert.Equal(at.LastPosition, at.FirstPosition + batch.EventIds.Length - 1);
            for (var i = 0; i < batch.EventIds.Length; i++)
            {
                Assert.True(byId.TryGetValue(batch.EventIds[i], out var e), $"Event #{i} ({batch.EventIds[i]}) of the acknowledged {batch} is missing.");
                if (e.Stream.Value != $"crash.w{batch.Writer}" || e.Revision != at.FirstRevision + i || e.Position != at.FirstPosition + i)
                {
                    Assert.Fail($"Event #{i} of the acknowledged {batch} is stored at {LogChecks.Show(e)}.");
                }
            }
        }

        return stored;
    }
}

/// <summary>A batch a crash worker tried: its writer, its number (see <see cref="CrashCommand"/>) and its events.</summary>
public sealed record CrashBatch(int Writer, long Number, Guid[] EventIds)
{
    /// <summary>Where the store said its events are, once it acknowledged the batch; <see langword="null"/> while it has not.</summary>
    public CrashAcknowledgement? Acknowledgement { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"batch {Number} of writer {Writer}";
}

/// <summary>Where the store said an acknowledged batch's events are.</summary>
public sealed record CrashAcknowledgement(long FirstRevision, long LastRevision, long FirstPosition, long LastPosition);
