using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>Assertions over sequences of recorded events, with failure messages that name the first difference.</summary>
internal static class LogAssert
{
    /// <summary>Asserts that two sequences hold the same events (id, stream, revision, position, type) in the same order.</summary>
    /// <param name="expected">The expected events.</param>
    /// <param name="actual">The events observed.</param>
    /// <param name="what">What was observed, for the failure message.</param>
    public static void SameSequence(IReadOnlyList<RecordedEvent> expected, IReadOnlyList<RecordedEvent> actual, string what)
    {
        var common = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < common; i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (e.EventId != a.EventId || e.Stream != a.Stream || e.Revision != a.Revision || e.Position != a.Position || e.Type != a.Type)
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

    /// <summary>Asserts that positions strictly increase along a sequence.</summary>
    /// <param name="events">The events.</param>
    /// <param name="what">What the sequence is, for the failure message.</param>
    public static void StrictlyIncreasingPositions(IReadOnlyList<RecordedEvent> events, string what)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Position <= events[i - 1].Position)
            {
                Assert.Fail($"{what}: event #{i} {Show(events[i])} follows {Show(events[i - 1])}; positions must strictly increase.");
            }
        }
    }

    /// <summary>Describes an event for a failure message.</summary>
    /// <param name="e">The event.</param>
    /// <returns>The description.</returns>
    public static string Show(RecordedEvent e) => $"{e.Stream}@{e.Revision} {e.Type} at position {e.Position} (id {e.EventId})";
}
