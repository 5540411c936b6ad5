using Annals.Leases;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// Leases in the store's <c>leases</c> table, shared by every process and machine using the
/// schema. Acquiring, renewing and releasing are one statement each (a refusal or a lost renewal
/// reads the holder with a second one, to name it); expiry is judged by the server's clock
/// (<c>now()</c>), so the owners' clocks do not matter. Obtain it from <see cref="PostgresEventStore.Leases"/>.
/// </summary>
/// <remarks>
/// Acquiring is one <c>INSERT … ON CONFLICT (name) DO UPDATE … WHERE</c> the row lapsed or has
/// the same owner: the row lock makes racing owners queue, and each re-checks the condition on the
/// row the previous one left, so exactly one wins. Released and lapsed rows stay, keeping the
/// name's token count.
/// </remarks>
public sealed class PostgresLeaseManager : LeaseManagerBase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly Action _throwIfDisposed;
    private readonly string _acquire;
    private readonly string _renew;
    private readonly string _release;
    private readonly string _read;

    internal PostgresLeaseManager(NpgsqlDataSource dataSource, string schema, Action throwIfDisposed)
    {
        _dataSource = dataSource;
        _schema = schema;
        _throwIfDisposed = throwIfDisposed;
        _acquire = $"""
            INSERT INTO {schema}.leases AS l (name, owner, token, expires_at) VALUES ($1, $2, 1, now() + $3)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = l.token + 1, expires_at = excluded.expires_at
            WHERE l.expires_at <= now() OR l.owner = excluded.owner
            RETURNING token, expires_at
            """;
        _renew = $"UPDATE {schema}.leases SET expires_at = now() + $4 WHERE name = $1 AND owner = $2 AND token = $3 RETURNING expires_at";

        // A released row has no owner (owner names are never empty), so its tenure cannot be
        // renewed, and lapsed at minus infinity, so anyone can acquire it whatever the clocks say.
        _release = $"UPDATE {schema}.leases SET owner = '', expires_at = '-infinity' WHERE name = $1 AND owner = $2 AND token = $3";
        _read = $"SELECT owner, token, expires_at FROM {schema}.leases WHERE name = $1 AND expires_at > now()";
    }

    /// <inheritdoc />
    protected override async ValueTask<Lease?> TryAcquireCoreAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        await QueryAsync(_acquire, [name, owner, duration], r => new Lease(name, owner, r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<Lease?> RenewCoreAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken) =>
        await QueryAsync(_renew, [lease.Name, lease.Owner, lease.Token, duration], r => lease with { ExpiresAt = r.GetFieldValue<DateTimeOffset>(0) }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<bool> ReleaseCoreAsync(Lease lease, CancellationToken cancellationToken) =>
        await RunAsync(_release, [lease.Name, lease.Owner, lease.Token], c => c.ExecuteNonQueryAsync(cancellationToken), cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    protected override async ValueTask<Lease?> ReadCoreAsync(string name, CancellationToken cancellationToken) =>
        await QueryAsync(_read, [name], r => new Lease(name, r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2)), cancellationToken).ConfigureAwait(false);

    private ValueTask<T?> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class =>
        RunAsync<T?>(
            sql,
            parameters,
            async command =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
            },
            cancellationToken);

    private async ValueTask<T> RunAsync<T>(string sql, object[] parameters, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        _throwIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var command = _dataSource.CreateCommand(sql);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return await run(command).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw PostgresErrors.Translate(e, _schema);
        }
    }
}
