namespace Annals.Postgres;

/// <summary>
/// Tells a committing writer whether anyone listens on the schema's channel, so that a commit no one
/// waits for skips <c>pg_notify</c>, which costs a commit a database-wide lock and a write to the
/// notification queue (about a tenth of a small group's time). Every listener holds a shared advisory
/// lock on its connection for as long as it listens. A writer tries to take the same lock exclusively in
/// its transaction: when it can, no one listens, and a listener arriving meanwhile waits for that
/// transaction's end before it re-reads the log, so it finds the commit there. When it cannot, it notifies.
/// </summary>
/// <remarks>
/// The lock's keys are the constant <see cref="Space"/> ("Anls", apart from other users' advisory locks)
/// and the channel's <c>hashtext</c>, computed by the server every process shares.
/// </remarks>
internal static class ListenerGate
{
    /// <summary>The first of the lock's two keys.</summary>
    internal const int Space = 0x416E6C73;

    /// <summary>A writer's notification, in its commit's transaction: $1 the channel, $2 the payload.</summary>
    public static readonly string Notify = $"SELECT pg_notify($1, $2) WHERE NOT pg_try_advisory_xact_lock({Space}, hashtext($1))";

    /// <summary>A listener's hold on the gate, for the life of its connection: $1 the channel.</summary>
    public static readonly string Hold = $"SELECT pg_advisory_lock_shared({Space}, hashtext($1))";

    /// <summary>A listener's release of the gate, when it stops listening on a connection that goes back to a pool: $1 the channel.</summary>
    public static readonly string Release = $"SELECT pg_advisory_unlock_shared({Space}, hashtext($1))";
}
