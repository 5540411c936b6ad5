namespace Annals.Storage;

/// <summary>
/// A store that reports its own catalogue (<see cref="StoreCatalogue"/>). Every Annals backend implements it beside
/// <see cref="IEventStore"/>; it is apart from that contract so that stores of other makers and decorators need not.
/// </summary>
public interface IStoreCatalogueReader
{
    /// <summary>Reads what the store holds: counts of each kind of record, the head position, its schema's version, size and tables.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The catalogue.</returns>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default);
}
