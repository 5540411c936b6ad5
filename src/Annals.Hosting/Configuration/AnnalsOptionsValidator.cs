using Annals.Postgres;
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
        if (!setups.TryGet(name, out _))
        {
            return ValidateOptionsResult.Skip;
        }

        var key = StoreNames.Section(name);
        var failures = new List<string>();
        switch (options.Backend)
        {
            case null:
                failures.Add($"{key}:Backend is required: Sqlite, Postgres or InMemory (call UseSqlite, UsePostgres or UseInMemory on the AnnalsBuilder, or set it in configuration).");
                break;
            case AnnalsBackend.Sqlite:
                CheckSqlite(options, key, failures);
                break;
            case AnnalsBackend.Postgres:
                CheckPostgres(options, key, failures);
                break;
            case AnnalsBackend.InMemory:
                Positive(options.InMemory.MaxEventBytes, $"{key}:InMemory:MaxEventBytes", failures);
                break;
            default:
                failures.Add($"{key}:Backend '{options.Backend}' is not a backend: use Sqlite, Postgres or InMemory.");
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

    private static void Positive(int value, string key, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"{key} must be at least 1; it is {value}.");
        }
    }
}
