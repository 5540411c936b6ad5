using System.Globalization;
using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;
using Annals.Entities;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>
/// <c>entity-memory</c>: waves of M new entities, each woken by one deposit, then left idle until the engine has
/// passivated them all. After each wave the managed heap is measured (after full collections) with the entities live
/// and again once they are gone: bytes per idle live entity (the difference), and what stays above the heap before
/// the first wave after passivation, however many ids have been touched.
/// </summary>
internal static class EntityMemoryWorkload
{
    private const int Senders = 64;

    public static async Task<BenchResult> RunAsync(MemorySettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        await using var engine = await AccountEngine.StartAsync(store, snapshotEvery: null, settings.IdleTimeout);

        // A small wave first, so that code, pools and caches that do not grow with entities exist before the baseline.
        Report.Progress($"{common.Store}: warming up with {Senders} entities");
        await WakeAsync(engine, -Senders, Senders, cancellationToken);
        await WaitForPassivationAsync(engine, settings.IdleTimeout, cancellationToken);
        var baseline = HeapBytes();

        var measurement = Measurement.Start();
        var live = new List<double>();
        long retained = 0;
        for (var wave = 0; wave < settings.Waves; wave++)
        {
            await WakeAsync(engine, wave * settings.Entities, settings.Entities, cancellationToken);
            if (engine.LiveEntities != settings.Entities)
            {
                throw new InvalidOperationException($"{engine.LiveEntities} entities are live after waking {settings.Entities}; the idle timeout is too short for this many.");
            }

            var liveHeap = HeapBytes();
            await WaitForPassivationAsync(engine, settings.IdleTimeout, cancellationToken);
            var afterHeap = HeapBytes();

            // What the wave's entities held is what their passivation gave back; the store's caches stay.
            live.Add((double)(liveHeap - afterHeap) / settings.Entities);
            retained = afterHeap - baseline;
            Report.Progress(string.Create(CultureInfo.InvariantCulture, $"{common.Store}: wave {wave + 1}: {live[^1]:F0} bytes per live entity; {retained} bytes above the baseline after passivation ({(wave + 1) * settings.Entities} ids touched)"));
        }

        var span = measurement.Stop();
        var touched = (long)settings.Waves * settings.Entities;
        return Results.Create(common, span, touched, database.Description, streams: touched) with
        {
            Writers = Senders,
            Entities = touched,
            LiveBytesPerEntity = Math.Round(live.Order().ElementAt(live.Count / 2), 1),
            RetainedBytesAfterPassivation = retained,
        };
    }

    /// <summary>Sends one deposit to each of <paramref name="count"/> entities from <paramref name="first"/> on.</summary>
    private static Task WakeAsync(EntityEngine engine, int first, int count, CancellationToken cancellationToken) =>
        Parallel.ForAsync(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Senders, CancellationToken = cancellationToken }, async (k, ct) =>
        {
            var account = string.Create(CultureInfo.InvariantCulture, $"acc-{k}");
            var entity = StreamName.For(AccountEngine.Category, string.Create(CultureInfo.InvariantCulture, $"m{k}"));
            await engine.SendCommandAsync<AccountState>(entity, new AccountCommand(account, 1m, Guid.NewGuid().ToString("N")), cancellationToken: ct);
        });

    private static async Task WaitForPassivationAsync(EntityEngine engine, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var patience = (idleTimeout * 10) + TimeSpan.FromSeconds(30);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        while (engine.LiveEntities > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    private static long HeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
