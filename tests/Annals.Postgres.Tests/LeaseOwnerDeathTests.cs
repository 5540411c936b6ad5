using System.Diagnostics;
using System.Globalization;
using Annals.TestWorker;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// A lease held by another OS process that renews it, then dies by SIGKILL (no release runs):
/// nobody can take it before it lapses, and another owner takes it within the lease duration.
/// </summary>
public sealed class LeaseOwnerDeathTests
{
    private const string Name = "projections/orders";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    // Polling every 50 ms, a successor sees the lapse well within this much after the expiry.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_killed_owners_lease_is_refused_until_it_lapses_then_taken_within_the_lease_duration()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        var leases = store.Leases;
        using var holder = WorkerProcess.Start("lease holder", "lease", [schema, Name, "holder-process", Duration], new Dictionary<string, string> { ["ANNALS_POSTGRES"] = PostgresFixture.ConnectionString });
        var (token, firstExpiry) = await WaitForAcquisitionAsync(holder);

        // Alive, the holder keeps renewing: past its first expiry the lease is still its own.
        await WaitForServerClockAsync(firstExpiry);
        Assert.Null(await leases.TryAcquireAsync(Name, "successor", Duration));
        var alive = await leases.ReadAsync(Name);
        Assert.NotNull(alive);
        Assert.Equal(("holder-process", token), (alive.Owner, alive.Token));
        Assert.True(alive.ExpiresAt > firstExpiry, $"The holder did not renew: {holder.Describe()}");

        await holder.KillAsync();
        var sinceDeath = Stopwatch.StartNew();
        var orphaned = await leases.ReadAsync(Name);
        Assert.NotNull(orphaned);

        var refusals = 0;
        var taken = await leases.TryAcquireAsync(Name, "successor", TimeSpan.FromMinutes(1));
        while (taken is null)
        {
            refusals++;
            Assert.True(sinceDeath.Elapsed < Duration + Margin, $"The dead owner's lease was not free {Duration + Margin} after its death; it lapses at {orphaned.ExpiresAt:O}.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            taken = await leases.TryAcquireAsync(Name, "successor", TimeSpan.FromMinutes(1));
        }

        Assert.True(sinceDeath.Elapsed < Duration + Margin, $"The dead owner's lease was taken only {sinceDeath.Elapsed} after its death.");
        Assert.True(refusals > 0, "The lease was free right after its owner died; it must stay taken until it lapses.");
        Assert.Equal(("successor", token + 1), (taken.Owner, taken.Token));
        var takenAt = taken.ExpiresAt - TimeSpan.FromMinutes(1);
        Assert.True(takenAt >= orphaned.ExpiresAt, $"Taken at {takenAt:O}, before the dead owner's lease lapsed at {orphaned.ExpiresAt:O}.");
    }

    /// <summary>The first tenure the holder printed: the token and the expiry (UTC ticks) of its acquisition.</summary>
    private static async Task<(long Token, DateTimeOffset ExpiresAt)> WaitForAcquisitionAsync(WorkerProcess holder)
    {
        var line = (await holder.WaitForAsync(l => l.EndsWith(" .", StringComparison.Ordinal), TimeSpan.FromSeconds(60))).Text;
        var parts = line.Split(' ');
        Assert.True(parts[0] == "ACQUIRED", $"The holder did not acquire the lease: {line}");
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), new DateTimeOffset(long.Parse(parts[2], CultureInfo.InvariantCulture), TimeSpan.Zero));
    }

    private static async Task WaitForServerClockAsync(DateTimeOffset instant)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT now()");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var now = reader.GetFieldValue<DateTimeOffset>(0);
            if (now >= instant)
            {
                return;
            }

            Assert.True(waited.Elapsed < Duration + TimeSpan.FromSeconds(10), $"The server's clock did not reach {instant:O}; it says {now:O}.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
