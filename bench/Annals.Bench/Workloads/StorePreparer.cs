using Annals.Bench.Data;
using Annals.Bench.Reporting;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>Fills a store to read, through the store itself, unless it already holds events.</summary>
internal static class StorePreparer
{
    /// <summary>
    /// Opens the store to measure, filled with the prepared events unless it holds some (vacuumed after filling on
    /// PostgreSQL), then opened again, so the measured part starts cold, as a starting process does.
    /// </summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="database">Where the store lives.</param>
    /// <param name="always">Open it again whatever the backend; otherwise only where that makes it cold (<see cref="StoreFactory.ReopensCold"/>).</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    public static async Task<IEventStore> OpenFilledAsync(BenchSettings settings, BenchDatabase database, bool always, CancellationToken cancellationToken)
    {
        var store = await StoreFactory.OpenAsync(settings, database, cancellationToken);
        try
        {
            if (await EnsureFilledAsync(store, settings, cancellationToken) && settings.IsPostgres)
            {
                PostgresMaintenance.Vacuum(database, "events", "streams");
            }

            if (always || StoreFactory.ReopensCold(store))
            {
                await store.DisposeAsync();
                store = await StoreFactory.OpenAsync(settings, database, cancellationToken);
            }

            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <returns>Whether it filled the store (false when it already held events).</returns>
    public static async Task<bool> EnsureFilledAsync(IEventStore store, BenchSettings settings, CancellationToken cancellationToken)
    {
        var head = await store.GetHeadPositionAsync(cancellationToken);
        if (head > 0)
        {
            Report.Progress($"the store already holds events up to position {head}; reading those");
            return false;
        }

        var layout = new PreparedLayout(settings.Events, settings.StreamSize);
        Report.Progress($"preparing {layout.Events} events in {layout.StreamCount} streams");
        var random = new Random(PreparedLayout.Seed);
        foreach (var commit in layout.Commits())
        {
            var batch = new CommitBatch();
            for (var k = commit.Start.Value; k < commit.End.Value; k++)
            {
                batch.Append(StreamNames.Prepared(k), ExpectedRevision.NoStream, Payloads.Many(random, layout.EventsIn(k)));
            }

            // A store that cannot commit several streams at once (NATS) takes the batch stream by stream.
            await store.CommitWholeOrInPartsAsync(batch, cancellationToken);
        }

        return true;
    }

    public static async Task<StreamName[]> ListStreamsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var streams = new List<StreamName>();
        await foreach (var info in store.ListStreamsAsync(cancellationToken: cancellationToken))
        {
            streams.Add(info.Stream);
        }

        return [.. streams];
    }
}
