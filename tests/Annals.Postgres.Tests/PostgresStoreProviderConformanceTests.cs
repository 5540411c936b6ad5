using Annals.Testing.Conformance;

namespace Annals.Postgres.Tests;

public sealed class PostgresStoreProviderConformanceTests(PostgresStoreProviderFixture fixture) : StoreProviderConformance<PostgresStoreProviderFixture>(fixture);
