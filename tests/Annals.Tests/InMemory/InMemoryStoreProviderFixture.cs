using Annals.InMemory;
using Annals.Storage;
using Annals.Testing;

namespace Annals.Tests.InMemory;

/// <summary>Makes a provider of in-memory stores for each test; its peer is itself, as nothing in memory is seen by another process.</summary>
public sealed class InMemoryStoreProviderFixture : IStoreProviderFixture
{
    public Task<IEventStoreProvider> CreateProviderAsync() => Task.FromResult<IEventStoreProvider>(new InMemoryStoreProvider());

    public Task<IEventStoreProvider> CreatePeerAsync(IEventStoreProvider provider) => Task.FromResult(provider);
}
