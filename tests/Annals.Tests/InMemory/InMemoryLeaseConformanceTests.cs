using Annals.Testing.Conformance;

namespace Annals.Tests.InMemory;

public sealed class InMemoryLeaseTests(InMemoryLeaseFixture fixture) : LeaseConformance<InMemoryLeaseFixture>(fixture);
