using Annals.Testing.Conformance;

namespace Annals.Tests.InMemory;

public sealed class InMemorySnapshotTests(InMemoryFixture fixture) : SnapshotConformance<InMemoryFixture>(fixture);

public sealed class InMemoryStateTests(InMemoryFixture fixture) : StateConformance<InMemoryFixture>(fixture);

public sealed class InMemoryCheckpointTests(InMemoryFixture fixture) : CheckpointConformance<InMemoryFixture>(fixture);

public sealed class InMemoryQueueTests(InMemoryFixture fixture) : QueueConformance<InMemoryFixture>(fixture);
