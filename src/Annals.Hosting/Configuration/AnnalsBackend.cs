namespace Annals.Hosting;

/// <summary>Where a hosted store keeps its events.</summary>
public enum AnnalsBackend
{
    /// <summary>In this process's memory: tests and throwaway runs; nothing survives the process.</summary>
    InMemory,

    /// <summary>One SQLite file that this process owns (<see cref="Annals.Sqlite.SqliteEventStore"/>).</summary>
    Sqlite,

    /// <summary>A schema on a PostgreSQL server, shared by any number of processes (<see cref="Annals.Postgres.PostgresEventStore"/>).</summary>
    Postgres,

    /// <summary>A JetStream stream and key-value buckets on a NATS server, shared by any number of processes (<see cref="Annals.Nats.NatsEventStore"/>).</summary>
    Nats,
}
