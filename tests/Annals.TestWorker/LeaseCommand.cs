using System.Globalization;
using Annals.Leases;
using Annals.Postgres;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// Holds a lease on the PostgreSQL server named by ANNALS_POSTGRES until it is killed: acquires it, then renews it every
/// quarter of its duration, printing each tenure ("ACQUIRED"/"RENEWED" token expiry). It exits with 2 if the lease is
/// refused or lost, which a test of owner death must never see.
/// </summary>
/// <remarks>usage: <c>lease &lt;schema&gt; &lt;lease name&gt; &lt;owner&gt; &lt;duration in ms&gt;</c></remarks>
internal static class LeaseCommand
{
    public static async Task<int> RunAsync(string[] args, WorkerOutput output)
    {
        var schema = args[0];
        var name = args[1];
        var owner = args[2];
        var duration = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
        var connectionString = Environment.GetEnvironmentVariable("ANNALS_POSTGRES") ?? throw new InvalidOperationException("ANNALS_POSTGRES is not set.");

        await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });

        void Say(string what, Lease lease) => output.Say(string.Create(CultureInfo.InvariantCulture, $"{what} {lease.Token} {lease.ExpiresAt.UtcTicks}"));

        try
        {
            var lease = await store.Leases.AcquireAsync(name, owner, duration);
            Say("ACQUIRED", lease);
            while (true)
            {
                // The lease lives on the server's clock: this process renews it in real time, as a real owner does.
                await Task.Delay(duration / 4);
                lease = await store.Leases.RenewAsync(lease, duration);
                Say("RENEWED", lease);
            }
        }
        catch (Exception e) when (e is StoreLockedException or LeaseLostException)
        {
            output.Say($"LOST {e.Message}");
            return 2;
        }
    }
}
