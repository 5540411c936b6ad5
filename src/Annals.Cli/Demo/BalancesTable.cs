using Annals.Projections;
using Annals.Storage;

namespace Annals.Cli.Demo;

/// <summary>
/// A projection that keeps every account's balance in a table of the store's own database, <c>demo_balances</c>: each
/// batch's changes are written by SQL work in the commit that saves the projection's checkpoint, so every event counts
/// exactly once, whatever stops the process.
/// </summary>
internal sealed class BalancesTable : IProjection
{
    public const string Name = "demo-balances";

    public static ProjectionOptions Options { get; } = new() { Filter = Balances.Filter };

    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var changes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in batch.Events.SelectMany(Bank.Codec.Decode).OfType<IAccountEvent>())
        {
            changes[e.Account] = changes.GetValueOrDefault(e.Account) + AccountDecider.BalanceChange(e);
        }

        batch.Commit.ExecuteSql(async (sql, ct) =>
        {
            foreach (var (account, change) in changes)
            {
                await using var upsert = sql.CreateCommand(
                    $"INSERT INTO {Table(sql)} (account, balance) VALUES (@account, @change) ON CONFLICT (account) DO UPDATE SET balance = {Table(sql)}.balance + @change",
                    ("@account", account),
                    ("@change", change));
                await upsert.ExecuteNonQueryAsync(ct);
            }
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates the table, once, before the projection starts: not in every batch's commit.</summary>
    public static async Task CreateAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await store.CommitAsync(new CommitBatch().ExecuteSql(async (sql, ct) =>
        {
            await using var create = sql.CreateCommand($"CREATE TABLE IF NOT EXISTS {Table(sql)} (account text PRIMARY KEY, balance bigint NOT NULL)");
            await create.ExecuteNonQueryAsync(ct);
        }), cancellationToken);
    }

    /// <summary>Reads the table in a commit of SQL work alone (it stores nothing).</summary>
    public static async Task<IReadOnlyList<(string Account, long Balance)>> ReadAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var rows = new List<(string, long)>();
        await store.CommitAsync(new CommitBatch().ExecuteSql(async (sql, ct) =>
        {
            await using var command = sql.CreateCommand($"SELECT account, balance FROM {Table(sql)} ORDER BY account");
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }), cancellationToken);
        return rows;
    }

    private static string Table(SqlWorkContext sql) => sql.Schema is { } schema ? $"{schema}.demo_balances" : "demo_balances";
}
