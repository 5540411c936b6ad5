// Holds a lease on the PostgreSQL server named by ANNALS_POSTGRES until it is killed: acquires it,
// then renews it every quarter of its duration, printing each tenure ("ACQUIRED"/"RENEWED" token
// expiry; every line ends in " ." so a line cut by the kill is recognised). It exits with 2 if
// the lease is refused or lost, which a test of owner death must never see.
//   usage: Annals.Postgres.LeaseHolder <schema> <lease name> <owner> <duration in ms>
using System.Globalization;
using Annals;
using Annals.Leases;
using Annals.Postgres;

var schema = args[0];
var name = args[1];
var owner = args[2];
var duration = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var connectionString = Environment.GetEnvironmentVariable("ANNALS_POSTGRES") ?? throw new InvalidOperationException("ANNALS_POSTGRES is not set.");

await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = connectionString, Schema = schema });

void Say(string what, Lease lease)
{
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {lease.Token} {lease.ExpiresAt.UtcTicks} ."));
    Console.Out.Flush();
}

try
{
    var lease = await store.Leases.AcquireAsync(name, owner, duration);
    Say("ACQUIRED", lease);
    while (true)
    {
        await Task.Delay(duration / 4);
        lease = await store.Leases.RenewAsync(lease, duration);
        Say("RENEWED", lease);
    }
}
catch (Exception e) when (e is StoreLockedException or LeaseLostException)
{
    Console.Out.WriteLine($"LOST {e.Message} .");
    return 2;
}
