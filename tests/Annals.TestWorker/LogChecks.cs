using Annals.Storage;
using Xunit;

namespace Annals.TestWorker;

/// <summary>Checks of a whole log against what writers were told and what readers saw, with messages that name the first difference.</summary>
public static class LogChecks
{
    /// <summary>
    /// Every acknowledged commit is stored exactly where the store said, and nothing else is stored:
    /// ids are unique, each acknowledged event sits at its acknowledged stream, revision and position,
    /// and the log holds no event that no writer was told about.
    /// </summary>
    public static void HoldsExactlyTheAcknowledged(IReadOnlyList<RecordedEvent> log, IReadOnlyCollection<AcknowledgedCommit> acknowledged)
    {
        PositionsStrictlyIncrease(log, "the log");
        var byId = new Dictionary<Guid, RecordedEvent>();
        foreach (var e in log)
        {
            if (!byId.TryAdd(e.EventId, e))
            {
                Assert.Fail($"Event id {e.EventId} is stored twice: at {Show(byId[e.EventId])} and {Show(e)}.");
            }
        }

        foreach (var commit in acknowledged)
        {
            Assert.Equal(commit.EventIds.Length, commit.LastRevision - commit.FirstRevision + 1);
            Assert.Equal(commit.EventIds.Length, commit.LastPosition - commit.FirstPosition + 1);
            for (var i = 0; i < commit.EventIds.Length; i++)
            {
                Assert.True(byId.TryGetValue(commit.EventIds[i], out var e), $"Event #{i} ({commit.EventIds[i]}) of the acknowledged commit {commit} is missing.");
                if (e.Stream != commit.Stream || e.Revision != commit.FirstRevision + i || e.Position != commit.FirstPosition + i)
                {
                    Assert.Fail($"Event #{i} of the acknowledged commit {commit} is stored at {Show(e)}.");
                }
            }
        }

        var acknowledgedIds = acknowledged.SelectMany(c => c.EventIds).ToHashSet();
        var unknown = log.FirstOrDefault(e => !acknowledgedIds.Contains(e.EventId));
        Assert.True(unknown is null, $"The log holds {Show(unknown)}, which no writer was told about.");
        Assert.Equal(acknowledgedIds.Count, log.Count);
    }

    /// <summary>Each stream's revisions run 0, 1, 2, ... in position order, with no gap or repeat.</summary>
    public static void RevisionsAreContiguous(IReadOnlyList<RecordedEvent> log)
    {
        foreach (var stream in log.GroupBy(e => e.Stream))
        {
            var expected = 0L;
            foreach (var e in stream)
            {
                if (e.Revision != expected)
                {
                    Assert.Fail($"{stream.Key}: {Show(e)} where revision {expected} was expected.");
                }

                expected++;
            }
        }
    }

    public static void PositionsStrictlyIncrease(IReadOnlyList<RecordedEvent> events, string what)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Position <= events[i - 1].Position)
            {
                Assert.Fail($"{what}: {Show(events[i])} follows {Show(events[i - 1])}; positions must strictly increase.");
            }
        }
    }

    /// <summary>A reader saw exactly the expected events (id, stream, revision, position), in the same order.</summary>
    public static void SameSequence(IReadOnlyList<RecordedEvent> expected, IReadOnlyList<RecordedEvent> actual, string what)
    {
        var common = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < common; i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (e.EventId != a.EventId || e.Stream != a.Stream || e.Revision != a.Revision || e.Position != a.Position)
            {
                Assert.Fail($"{what}: event #{i} is {Show(a)} but should be {Show(e)}.");
            }
        }

        if (actual.Count > expected.Count)
        {
            Assert.Fail($"{what}: {actual.Count} events where {expected.Count} were expected; the first extra one is {Show(actual[common])}.");
        }

        if (actual.Count < expected.Count)
        {
            Assert.Fail($"{what}: {actual.Count} events where {expected.Count} were expected; the first missing one is {Show(expected[common])}.");
        }
    }

    /// <summary>
    /// Every two processes wrote at the same time: each one's acknowledged positions overlap each other's. Without overlap
    /// in time a multi-process test would prove nothing about concurrent processes; the gate halfway (the workers' "HALF")
    /// makes it certain, and this checks the gate did its work.
    /// </summary>
    public static void ProcessesInterleaved(IReadOnlyList<IReadOnlyCollection<AcknowledgedCommit>> byProcess)
    {
        var ranges = byProcess.Select(p => (First: p.Min(c => c.FirstPosition), Last: p.Max(c => c.LastPosition))).ToList();
        for (var i = 0; i < ranges.Count; i++)
        {
            for (var j = i + 1; j < ranges.Count; j++)
            {
                Assert.True(
                    ranges[i].First < ranges[j].Last && ranges[j].First < ranges[i].Last,
                    $"Processes {i} and {j} did not write at the same time: positions {ranges[i].First}..{ranges[i].Last} and {ranges[j].First}..{ranges[j].Last}.");
            }
        }
    }

    public static string Show(RecordedEvent? e) => e is null ? "nothing" : $"{e.Stream}@{e.Revision} {e.Type} at position {e.Position} (id {e.EventId})";
}
