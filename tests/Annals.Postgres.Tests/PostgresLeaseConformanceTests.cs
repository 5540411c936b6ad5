using Annals.Testing.Conformance;

namespace Annals.Postgres.Tests;

public sealed class PostgresLeaseTests(PostgresLeaseFixture fixture) : LeaseConformance<PostgresLeaseFixture>(fixture);
