namespace Annals.Storage;

/// <summary>How <see cref="IEventStoreProvider.OpenAsync"/> opens a store.</summary>
public sealed class StoreOpenOptions
{
    /// <summary>
    /// Whether the store is opened for this opener alone: every other open, exclusive or not, in this process or
    /// another, is refused with <see cref="StoreLockedException"/> until the store is disposed, and the open itself is
    /// refused while the store is open elsewhere.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the store may be open elsewhere too, unless the backend holds every open exclusively.</value>
    public bool Exclusive { get; set; }

    /// <summary>Whether a missing store is created; when not, opening one fails with <see cref="StoreNotFoundException"/>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CreateIfMissing { get; set; } = true;
}
