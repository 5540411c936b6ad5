using Annals.Testing.Conformance;

namespace Annals.Nats.Tests;

public sealed class NatsAppendTests(NatsFixture fixture) : AppendConformance<NatsFixture>(fixture);

public sealed class NatsIdempotencyTests(NatsFixture fixture) : IdempotencyConformance<NatsFixture>(fixture);

public sealed class NatsAtomicityTests(NatsFixture fixture) : AtomicityConformance<NatsFixture>(fixture);

public sealed class NatsBadInputTests(NatsFixture fixture) : BadInputConformance<NatsFixture>(fixture);

public sealed class NatsTruncateDeleteTests(NatsFixture fixture) : TruncateDeleteConformance<NatsFixture>(fixture);

public sealed class NatsConcurrencyTests(NatsFixture fixture) : ConcurrencyConformance<NatsFixture>(fixture);

public sealed class NatsSubscriptionTests(NatsFixture fixture) : SubscriptionConformance<NatsFixture>(fixture);

public sealed class NatsFilterTests(NatsFixture fixture) : FilterConformance<NatsFixture>(fixture);

public sealed class NatsAppendConditionTests(NatsFixture fixture) : AppendConditionConformance<NatsFixture>(fixture);

public sealed class NatsTagTests(NatsFixture fixture) : TagConformance<NatsFixture>(fixture);

public sealed class NatsTagConditionTests(NatsFixture fixture) : TagConditionConformance<NatsFixture>(fixture);

public sealed class NatsDeciderTests(NatsFixture fixture) : DeciderConformance<NatsFixture>(fixture);

public sealed class NatsEntityTests(NatsFixture fixture) : EntityConformance<NatsFixture>(fixture);

public sealed class NatsProjectionTests(NatsFixture fixture) : ProjectionConformance<NatsFixture>(fixture);

public sealed class NatsSnapshotTests(NatsFixture fixture) : SnapshotConformance<NatsFixture>(fixture);

public sealed class NatsStateTests(NatsFixture fixture) : StateConformance<NatsFixture>(fixture);

public sealed class NatsCheckpointTests(NatsFixture fixture) : CheckpointConformance<NatsFixture>(fixture);

public sealed class NatsQueueTests(NatsFixture fixture) : QueueConformance<NatsFixture>(fixture);

public sealed class NatsHostileInputTests(NatsFixture fixture) : HostileInputConformance<NatsFixture>(fixture);

public sealed class NatsGroupIsolationTests(NatsFixture fixture) : GroupIsolationConformance<NatsFixture>(fixture);

public sealed class NatsCatalogueTests(NatsFixture fixture) : CatalogueConformance<NatsFixture>(fixture);

public sealed class NatsTelemetryTests(NatsFixture fixture) : TelemetryConformance<NatsFixture>(fixture);

public sealed class NatsDcbTests(NatsFixture fixture) : DcbConformance<NatsFixture>(fixture);
