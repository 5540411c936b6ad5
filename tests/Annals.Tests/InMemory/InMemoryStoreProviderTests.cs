using Annals.Testing.Conformance;

namespace Annals.Tests.InMemory;

public sealed class InMemoryStoreProviderTests(InMemoryStoreProviderFixture fixture) : StoreProviderConformance<InMemoryStoreProviderFixture>(fixture);
