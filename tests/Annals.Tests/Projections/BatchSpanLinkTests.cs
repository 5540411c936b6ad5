using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Projections;

/// <summary>A projection batch continues the first event's commit and links every other commit it holds, also one of the same trace.</summary>
public sealed class BatchSpanLinkTests
{
    [Fact]
    public void A_batch_links_each_other_commit_once_also_of_the_parents_trace()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AnnalsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var trace = ActivityTraceId.CreateRandom();
        var debit = ActivitySpanId.CreateRandom();
        var credit = ActivitySpanId.CreateRandom();
        var other = ActivityTraceId.CreateRandom();
        var otherSpan = ActivitySpanId.CreateRandom();
        RecordedEvent[] events =
        [
            Event(1, trace, debit),
            Event(2, trace, debit),
            Event(3, trace, credit),
            Event(4, other, otherSpan),
            Event(5, trace, credit),
        ];

        using var span = BatchSpans.StartBatch("balances", events);

        Assert.NotNull(span);
        Assert.Equal((trace, debit), (span.TraceId, span.ParentSpanId));
        Assert.Equal(
            [(trace, credit), (other, otherSpan)],
            span.Links.Select(l => (l.Context.TraceId, l.Context.SpanId)));
    }

    private static RecordedEvent Event(long position, ActivityTraceId trace, ActivitySpanId span) =>
        new(Guid.NewGuid(), StreamName.Parse("account.1"), position - 1, position, "Credited", "{}"u8.ToArray(), new Dictionary<string, string> { [MetadataKeys.TraceParent] = $"00-{trace}-{span}-01" }, DateTimeOffset.UnixEpoch);
}
