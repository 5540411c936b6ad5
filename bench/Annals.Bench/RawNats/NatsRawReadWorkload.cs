using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Raw;
using Annals.Bench.Reporting;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Annals.Bench.RawNats;

/// <summary>
/// <c>raw-read --store nats</c>: the read ceiling on NATS. The events read-all prepares, one message per event on its
/// stream's subject, read in stream order with NATS.Net's ordered consumer into <see cref="RawEvent"/> objects.
/// </summary>
internal static class NatsRawReadWorkload
{
    private const int WarmUpEvents = 1000;

    /// <summary>Acknowledgements awaited together while filling: enough to keep the connection busy.</summary>
    private const int FillWindow = 256;

    /// <summary>The last event read, kept so the objects are really made.</summary>
    public static RawEvent? Last { get; private set; }

    public static async Task<BenchResult> RunAsync(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        await using var connection = NatsBench.Connect(database.NatsUrl);
        var js = new NatsJSContext(connection);
        var stream = NatsBench.RawStream(database.Schema);
        await NatsBench.EnsureRawStreamAsync(js, database.Schema);
        var info = await js.GetStreamAsync(stream);
        if (info.Info.State.Messages == 0)
        {
            await FillAsync(js, stream, settings);
        }
        else
        {
            Report.Progress("the stream already holds messages; reading those");
        }

        info = await js.GetStreamAsync(stream);
        var streams = (long)info.Info.State.NumSubjects;
        var last = info.Info.State.LastSeq;
        await JitWarmUp.RepeatAsync(settings.Warmup, () => ReadAsync(js, stream, Math.Min(last, WarmUpEvents)));

        Report.Progress("raw-nats: reading every message");
        var measurement = Measurement.Start();
        var (events, bytes) = await ReadAsync(js, stream, last);
        var span = measurement.Stop();
        return Results.Create(settings, span, events, database.Description, streams: streams, dataBytes: bytes);
    }

    /// <summary>Reads the stream's messages up to sequence <paramref name="last"/> through a fresh ordered consumer.</summary>
    private static async Task<(long Events, long Bytes)> ReadAsync(NatsJSContext js, string stream, ulong last)
    {
        long events = 0, bytes = 0;
        if (last == 0)
        {
            return (0, 0);
        }

        var consumer = await js.CreateOrderedConsumerAsync(stream, new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All });
        await foreach (var message in consumer.ConsumeAsync<byte[]>())
        {
            var metadata = message.Metadata!.Value;
            var headers = message.Headers!;
            var data = message.Data ?? [];
            Last = new RawEvent(
                (long)metadata.Sequence.Stream,
                Guid.Parse(headers["Nats-Msg-Id"]!),
                message.Subject,
                0,
                headers["Annals-Type"]!,
                data,
                null,
                metadata.Timestamp);
            events++;
            bytes += data.Length;
            if (metadata.Sequence.Stream >= last)
            {
                break;
            }
        }

        return (events, bytes);
    }

    private static async Task FillAsync(NatsJSContext js, string stream, BenchSettings settings)
    {
        var layout = new PreparedLayout(settings.Events, settings.StreamSize);
        Report.Progress($"preparing {layout.Events} messages in {layout.StreamCount} subjects");
        var random = new Random(PreparedLayout.Seed);
        var pending = new List<Task>(FillWindow);
        foreach (var commit in layout.Commits())
        {
            for (var k = commit.Start.Value; k < commit.End.Value; k++)
            {
                var subject = $"{stream}.{StreamNames.Prepared(k).Value}";
                foreach (var e in Payloads.Many(random, layout.EventsIn(k)))
                {
                    // In order: each publish is sent before the next; only their acknowledgements are awaited together.
                    pending.Add(Publish(js, subject, e));
                    if (pending.Count == FillWindow)
                    {
                        await Task.WhenAll(pending);
                        pending.Clear();
                    }
                }
            }
        }

        await Task.WhenAll(pending);
    }

    private static async Task Publish(NatsJSContext js, string subject, Annals.Storage.EventData e)
    {
        var headers = new NATS.Client.Core.NatsHeaders { ["Nats-Msg-Id"] = e.EventId.ToString(), ["Annals-Type"] = e.Type };
        var ack = await js.PublishAsync(subject, e.Data.ToArray(), headers: headers);
        ack.EnsureSuccess();
    }
}
