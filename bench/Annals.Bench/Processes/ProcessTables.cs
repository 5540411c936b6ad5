using Annals.Storage;

namespace Annals.Bench.Processes;

/// <summary>
/// Removes what earlier bench processes left in the store (warm-up passes, earlier runs on a reused database): their
/// instances' states, their queued commands and timeouts, and their checkpoints, so the measured process starts from
/// position 0 with empty queues.
/// </summary>
internal static class ProcessTables
{
    /// <summary>Every bench process's name starts with this.</summary>
    public const string Prefix = "bench-";

    public static Task ClearAsync(IEventStore store, CancellationToken cancellationToken) =>
        store.CommitAsync(
            new CommitBatch().ExecuteSql(async (sql, ct) =>
            {
                var schema = sql.Schema is { } s ? s + "." : string.Empty;
                await ExecuteAsync(sql, $"DELETE FROM {schema}states WHERE key LIKE 'process-{Prefix}%'", ct);
                await ExecuteAsync(sql, $"DELETE FROM {schema}queue_messages WHERE queue LIKE 'process:{Prefix}%'", ct);
                await ExecuteAsync(sql, $"DELETE FROM {schema}checkpoints WHERE consumer LIKE 'process:{Prefix}%'", ct);
            }),
            cancellationToken).AsTask();

    private static async ValueTask ExecuteAsync(SqlWorkContext sql, string text, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(text);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
