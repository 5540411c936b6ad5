using Annals.Storage;

namespace Annals.Testing;

/// <summary>
/// Makes the providers of named stores the provider conformance suite tests. Implement it once per backend; xunit
/// creates one instance per test class (a class fixture), so it may hold a server connection or a folder.
/// </summary>
public interface IStoreProviderFixture
{
    /// <summary>
    /// Whether two opens that are not exclusive may hold a store at once. A backend that holds every open exclusively
    /// (SQLite, whose file has one writer) says <see langword="false"/>.
    /// </summary>
    bool SharedOpensCoexist => true;

    /// <summary>Makes a provider. Providers of one fixture may see each other's stores; the suite names its stores uniquely.</summary>
    /// <returns>The provider; the test disposes it.</returns>
    Task<IEventStoreProvider> CreateProviderAsync();

    /// <summary>
    /// Makes a second provider over the same stores as <paramref name="provider"/>, standing for another process: its
    /// own connections, files handles or data source, where the backend has any.
    /// </summary>
    /// <param name="provider">A provider this fixture made.</param>
    /// <returns>The peer; the test disposes it, before or after <paramref name="provider"/>.</returns>
    Task<IEventStoreProvider> CreatePeerAsync(IEventStoreProvider provider);
}
