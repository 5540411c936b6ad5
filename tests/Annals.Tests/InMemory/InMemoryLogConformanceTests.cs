using Annals.Testing.Conformance;

namespace Annals.Tests.InMemory;

public sealed class InMemoryConcurrencyTests(InMemoryFixture fixture) : ConcurrencyConformance<InMemoryFixture>(fixture);

public sealed class InMemorySubscriptionTests(InMemoryFixture fixture) : SubscriptionConformance<InMemoryFixture>(fixture);

public sealed class InMemoryFilterTests(InMemoryFixture fixture) : FilterConformance<InMemoryFixture>(fixture);

public sealed class InMemoryAppendConditionTests(InMemoryFixture fixture) : AppendConditionConformance<InMemoryFixture>(fixture);

public sealed class InMemoryTagTests(InMemoryFixture fixture) : TagConformance<InMemoryFixture>(fixture);

public sealed class InMemoryTagConditionTests(InMemoryFixture fixture) : TagConditionConformance<InMemoryFixture>(fixture);

public sealed class InMemoryDeciderTests(InMemoryFixture fixture) : DeciderConformance<InMemoryFixture>(fixture);

public sealed class InMemoryEntityTests(InMemoryFixture fixture) : EntityConformance<InMemoryFixture>(fixture);

public sealed class InMemoryProjectionTests(InMemoryFixture fixture) : ProjectionConformance<InMemoryFixture>(fixture);

public sealed class InMemoryProcessTests(InMemoryFixture fixture) : ProcessConformance<InMemoryFixture>(fixture);

public sealed class InMemoryDcbTests(InMemoryFixture fixture) : DcbConformance<InMemoryFixture>(fixture);
