using System.Data.Common;

namespace Annals.Storage;

/// <summary>
/// What a SQL work (<see cref="CommitBatch.ExecuteSql"/>) runs on: the store's own connection and the
/// commit's open transaction. Valid only while the work runs; keep neither the context nor its connection.
/// </summary>
public sealed class SqlWorkContext
{
    /// <summary>The <see cref="Dialect"/> of the SQLite store.</summary>
    public const string SqliteDialect = "sqlite";

    /// <summary>The <see cref="Dialect"/> of the PostgreSQL store.</summary>
    public const string PostgresDialect = "postgres";

    /// <summary>Makes the context a store hands its SQL works.</summary>
    /// <param name="connection">The store's connection, inside the commit's transaction.</param>
    /// <param name="transaction">The open transaction, or <see langword="null"/> when the connection has no object for it.</param>
    /// <param name="dialect">The SQL the database speaks, such as <see cref="SqliteDialect"/> or <see cref="PostgresDialect"/>.</param>
    /// <param name="schema">The schema holding the store's tables, or <see langword="null"/> when the database has none.</param>
    /// <remarks>Public so that a backend outside this package hands its works the same context as Annals' own do.</remarks>
    public SqlWorkContext(DbConnection connection, DbTransaction? transaction, string dialect, string? schema)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(dialect);
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        Schema = schema;
    }

    /// <summary>The store's connection. Make commands with it; do not open, close or dispose it.</summary>
    public DbConnection Connection { get; }

    /// <summary>
    /// The commit's open transaction: set it as every command's <see cref="DbCommand.Transaction"/>.
    /// <see langword="null"/> on SQLite, whose writer begins the transaction with SQL rather than a transaction
    /// object; commands made with <see cref="Connection"/> then run inside the open transaction all the same.
    /// </summary>
    public DbTransaction? Transaction { get; }

    /// <summary>The SQL the database speaks: <see cref="SqliteDialect"/> or <see cref="PostgresDialect"/> for Annals' stores.</summary>
    public string Dialect { get; }

    /// <summary>
    /// The PostgreSQL schema holding the store's tables, where a read model's tables usually go too;
    /// <see langword="null"/> for SQLite, whose store is a whole file.
    /// </summary>
    public string? Schema { get; }

    /// <summary>
    /// Makes a command on the store's connection, enlisted in the commit's transaction, with its text and parameters.
    /// Dispose it when done.
    /// </summary>
    /// <param name="commandText">The SQL.</param>
    /// <param name="parameters">Its parameters by name, as the SQL refers to them (<c>@name</c>); a <see langword="null"/> value is sent as SQL NULL.</param>
    /// <returns>The command.</returns>
    public DbCommand CreateCommand(string commandText, params (string Name, object? Value)[] parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandText);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = commandText;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
