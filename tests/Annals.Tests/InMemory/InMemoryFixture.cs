using Annals.InMemory;
using Annals.Storage;
using Annals.Testing;

namespace Annals.Tests.InMemory;

/// <summary>Makes a fresh in-memory store for each conformance test.</summary>
public sealed class InMemoryFixture : IEventStoreFixture
{
    public Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new InMemoryEventStore());
}
