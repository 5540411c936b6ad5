using Annals.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Annals.Bench.RawNats;

/// <summary>The raw NATS baselines' JetStream stream, beside the Annals store of the same name, and the clean-up of both.</summary>
internal static class NatsBench
{
    /// <summary>The raw baselines' stream for a run's name: its subjects are <c>&lt;stream&gt;.&lt;category&gt;.&lt;id&gt;</c>, as the store's are.</summary>
    public static string RawStream(string name) => "rawbench_" + name;

    public static NatsConnection Connect(string url) => new(new NatsOpts { Url = url, Name = "annals bench" });

    /// <summary>Makes the raw stream, kept on disk with one replica as the store's is; an existing one is kept.</summary>
    public static async Task EnsureRawStreamAsync(NatsJSContext js, string name)
    {
        var stream = RawStream(name);
        try
        {
            await js.GetStreamAsync(stream);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            await js.CreateStreamAsync(new StreamConfig(stream, [stream + ".>"]) { Storage = StreamConfigStorage.File, NumReplicas = 1 });
        }
    }

    /// <summary>Deletes the run's store and raw stream, whichever exist; a failure is reported, not thrown, as a result matters more.</summary>
    public static async Task DeleteAsync(string url, string name)
    {
        try
        {
            await using var connection = Connect(url);
            await using (var provider = new NatsStoreProvider(new NatsEventStoreOptions { Connection = connection }))
            {
                await provider.DeleteAsync(name);
            }

            try
            {
                await new NatsJSContext(connection).DeleteStreamAsync(RawStream(name));
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                // The run used the store only.
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            Reporting.Report.Progress($"could not delete NATS store {name}: {e.Message}");
        }
    }
}
