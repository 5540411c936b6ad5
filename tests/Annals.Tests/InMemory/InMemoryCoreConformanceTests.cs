using Annals.Testing.Conformance;

namespace Annals.Tests.InMemory;

public sealed class InMemoryAppendTests(InMemoryFixture fixture) : AppendConformance<InMemoryFixture>(fixture);

public sealed class InMemoryIdempotencyTests(InMemoryFixture fixture) : IdempotencyConformance<InMemoryFixture>(fixture);

public sealed class InMemoryAtomicityTests(InMemoryFixture fixture) : AtomicityConformance<InMemoryFixture>(fixture);

public sealed class InMemoryBadInputTests(InMemoryFixture fixture) : BadInputConformance<InMemoryFixture>(fixture);

public sealed class InMemoryTruncateDeleteTests(InMemoryFixture fixture) : TruncateDeleteConformance<InMemoryFixture>(fixture);

public sealed class InMemoryHostileInputTests(InMemoryFixture fixture) : HostileInputConformance<InMemoryFixture>(fixture);

public sealed class InMemoryGroupIsolationTests(InMemoryFixture fixture) : GroupIsolationConformance<InMemoryFixture>(fixture);

public sealed class InMemoryCatalogueTests(InMemoryFixture fixture) : CatalogueConformance<InMemoryFixture>(fixture);

public sealed class InMemoryTelemetryTests(InMemoryFixture fixture) : TelemetryConformance<InMemoryFixture>(fixture);
