using Annals.Postgres;
using Annals.Storage.Providers;
using Microsoft.Extensions.Options;

namespace Annals.Hosting;

/// <summary>Checks each store's options when the host starts, with messages that name the configuration key to fix.</summary>
internal sealed class AnnalsOptionsValidator(StoreSetups setups) : IValidateOptions<AnnalsOptions>
{
    /// <summary>The shortest lease a projection host accepts: renewed every third of it.</summary>
    private static readonly TimeSpan MinimumLeaseDuration = TimeSpan.FromMilliseconds(30);

    public ValidateOptionsResult Validate(string? name, AnnalsOptions options)
    {
        name ??= StoreNames.Default;
        if (!setups.TryGet(name, out var setup))
        {
            return ValidateOptionsResult.Skip;
        }

        var key = StoreNames.Section(name);
        var failures = new List<string>();
        switch (options.Backend)
        {
            case null:
                failures.Add($"{key}:Backend is required: Sqlite, Postgres, Nats or InMemory (call UseSqlite, UsePostgres, UseNats or UseInMemory on the AnnalsBuilder, or set it in configuration).");
                break;
            case AnnalsBackend.Sqlite:
                CheckSqlite(options, key, failures);
                break;
            case AnnalsBackend.Postgres:
                CheckPostgres(options, key, failures);
                break;
            case AnnalsBackend.Nats:
                CheckNats(options, key, failures);
                if (setup.Processes.Count > 0)
                {
                    failures.Add($"{key}:Backend is Nats, which cannot commit a process instance's state, commands and checkpoint in one atomic batch as process managers need: keep processes on a Sqlite, Postgres or InMemory store.");
                }

                break;
            case AnnalsBackend.InMemory:
                Positive(options.InMemory.MaxEventBytes, $"{key}:InMemory:MaxEventBytes", failures);
                break;
            default:
                failures.Add($"{key}:Backend '{options.Backend}' is not a backend: use Sqlite, Postgres, Nats or InMemory.");
                break;
        }

        if (options.Projections.LeaseDuration < MinimumLeaseDuration)
        {
            failures.Add($"{key}:Projections:LeaseDuration must be at least {MinimumLeaseDuration.TotalMilliseconds} ms; it is {options.Projections.LeaseDuration}.");
        }

        if (options.Projections.UseLeases == true && options.Backend is AnnalsBackend.Sqlite)
        {
            failures.Add($"{key}:Projections:UseLeases needs a store that holds leases: PostgreSQL or in memory, not SQLite, whose file one process owns anyway.");
        }

        if (options.Projections.UseLeases == true && options.Backend is AnnalsBackend.Nats)
        {
            failures.Add($"{key}:Projections:UseLeases needs a store that holds leases: PostgreSQL or in memory; a NATS store has none yet.");
        }

        if (options.Health.MaxProjectionLag <= TimeSpan.Zero)
        {
            failures.Add($"{key}:Health:MaxProjectionLag must be positive; it is {options.Health.MaxProjectionLag}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSqlite(AnnalsOptions options, string key, List<string> failures)
    {
        var sqlite = options.Sqlite;
        if (string.IsNullOrWhiteSpace(sqlite.Path))
        {
            failures.Add($"{key}:Sqlite:Path is required when {key}:Backend is Sqlite.");
        }

        if (!Enum.IsDefined(sqlite.Durability))
        {
            failures.Add($"{key}:Sqlite:Durability '{sqlite.Durability}' is not a durability: use Full or RelaxedOnPowerLoss.");
        }

        Positive(sqlite.MaxEventBytes, $"{key}:Sqlite:MaxEventBytes", failures);
        Positive(sqlite.MaxGroupSize, $"{key}:Sqlite:MaxGroupSize", failures);
        if (sqlite.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{key}:Sqlite:PollInterval must be positive; it is {sqlite.PollInterval}.");
        }
    }

    private static void CheckPostgres(AnnalsOptions options, string key, List<string> failures)
    {
        var postgres = options.Postgres;
        var hasConnectionString = !string.IsNullOrWhiteSpace(postgres.ConnectionString);
        if (!hasConnectionString && postgres.DataSource is null)
        {
            failures.Add($"{key}:Postgres:ConnectionString is required when {key}:Backend is Postgres (or pass a data source to UsePostgres).");
        }
        else if (hasConnectionString && postgres.DataSource is not null)
        {
            failures.Add($"{key}:Postgres:ConnectionString and a data source are both set; set exactly one.");
        }

        if (PostgresEventStoreOptions.CheckSchema(postgres.Schema) is { } problem)
        {
            failures.Add($"{key}:Postgres:Schema '{postgres.Schema}' is invalid: {problem}.");
        }

        Positive(postgres.MaxEventBytes, $"{key}:Postgres:MaxEventBytes", failures);
        Positive(postgres.MaxGroupSize, $"{key}:Postgres:MaxGroupSize", failures);
        if (postgres.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{key}:Postgres:PollInterval must be positive; it is {postgres.PollInterval}.");
        }
    }

    private static void CheckNats(AnnalsOptions options, string key, List<string> failures)
    {
        var nats = options.Nats;
        if (nats.Connection is null && string.IsNullOrWhiteSpace(nats.Url))
        {
            failures.Add($"{key}:Nats:Url is required when {key}:Backend is Nats (or pass a connection to UseNats).");
        }
        else if (nats.Connection is null && !Uri.TryCreate(nats.Url, UriKind.Absolute, out _))
        {
            failures.Add($"{key}:Nats:Url '{nats.Url}' is not a URL such as nats://127.0.0.1:4222.");
        }

        if (NameChecks.CheckStore(nats.Store) is { } problem)
        {
            failures.Add($"{key}:Nats:Store '{nats.Store}' is invalid: {problem}.");
        }

        if (!Enum.IsDefined(nats.Storage))
        {
            failures.Add($"{key}:Nats:Storage '{nats.Storage}' is not a storage: use File or Memory.");
        }

        Positive(nats.Replicas, $"{key}:Nats:Replicas", failures);
        Positive(nats.MaxEventBytes, $"{key}:Nats:MaxEventBytes", failures);
        foreach (var (value, name) in new[] { (nats.PollInterval, "PollInterval"), (nats.DuplicateWindow, "DuplicateWindow"), (nats.ReservationTimeout, "ReservationTimeout") })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{key}:Nats:{name} must be positive; it is {value}.");
            }
        }
    }

    private static void Positive(int value, string key, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"{key} must be at least 1; it is {value}.");
        }
    }
}
