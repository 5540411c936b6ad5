using Annals.Bench.Data;
using Annals.Bench.Raw;
using Annals.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Annals.Bench.RawNats;

/// <summary>
/// A raw-append writer on NATS: each event is one message on its stream's subject, published and its acknowledgement
/// awaited before the next, with the event's id as the message id and its type in a header. No revision is checked.
/// </summary>
internal sealed class NatsRawWriter(WriterPlan plan, NatsJSContext js, string subjectPrefix) : PlannedRawWriter(plan)
{
    /// <summary>Nothing to pick up: the raw baseline checks no revisions.</summary>
    protected override long ReadLastRevision(string stream) => -1;

    protected override void Commit(string stream, long firstRevision, EventData[] events)
    {
        var subject = $"{subjectPrefix}.{stream}";
        foreach (var e in events)
        {
            var headers = new NatsHeaders { ["Nats-Msg-Id"] = e.EventId.ToString(), ["Annals-Type"] = e.Type };
            var ack = js.PublishAsync(subject, e.Data.ToArray(), headers: headers).AsTask().GetAwaiter().GetResult();
            ack.EnsureSuccess();
        }
    }
}
