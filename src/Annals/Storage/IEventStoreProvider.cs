namespace Annals.Storage;

/// <summary>
/// A set of named stores on one backend: a folder of SQLite files, the schemas of a PostgreSQL database, or stores kept
/// in memory. Every backend gives the same semantics, proven by the <c>StoreProviderConformance</c> suite of
/// Annals.Testing.
/// </summary>
/// <remarks>
/// <para>
/// A name is checked before any I/O (<see cref="InvalidNameException"/>, <see cref="NameKind.Store"/>): 1 to 63
/// lowercase ASCII letters, digits and <c>_</c>, starting with a letter, and not a name PostgreSQL or Windows
/// keeps for itself.
/// </para>
/// <para>
/// A store opened with <see cref="StoreOpenOptions.Exclusive"/> refuses every other open, in this process or another,
/// with <see cref="StoreLockedException"/> until it is disposed; an exclusive open of a store that is open elsewhere is
/// refused the same way. A backend may hold every open exclusively (a SQLite file has one writer); it says so.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var stores = new SqliteStoreProvider("data");
/// await using var tenant = await stores.OpenAsync("tenant_42");
/// await foreach (var name in stores.ListAsync()) Console.WriteLine(name);
/// </code>
/// </example>
public interface IEventStoreProvider : IAsyncDisposable
{
    /// <summary>Lists the names of the stores that exist, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The names.</returns>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Tells whether a store of this name exists.</summary>
    /// <param name="name">The store's name.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether it exists.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    ValueTask<bool> ExistsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a store, schema and all, unless it exists.</summary>
    /// <param name="name">The store's name.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns><see langword="true"/> when it was created, <see langword="false"/> when it existed.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="StoreLockedException">The store is being created by another opener at the same moment, on a backend that holds every open exclusively.</exception>
    ValueTask<bool> CreateAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Opens a store, creating it when missing unless <see cref="StoreOpenOptions.CreateIfMissing"/> is off.</summary>
    /// <param name="name">The store's name.</param>
    /// <param name="options">How to open it; the defaults (shared, created when missing) when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store; disposing it releases it.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="StoreNotFoundException">The store does not exist and <see cref="StoreOpenOptions.CreateIfMissing"/> is off.</exception>
    /// <exception cref="StoreLockedException">The store is open exclusively elsewhere, or the open is exclusive and the store is open elsewhere.</exception>
    ValueTask<IEventStore> OpenAsync(string name, StoreOpenOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a store and everything it holds, once no one has it open.</summary>
    /// <param name="name">The store's name.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns><see langword="true"/> when it was deleted, <see langword="false"/> when it did not exist.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="StoreLockedException">The store is open, in this process or another; nothing was deleted.</exception>
    ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
