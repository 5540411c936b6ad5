using Annals.Testing.Conformance;

namespace Annals.Sqlite.Tests;

public sealed class SqliteStoreProviderConformanceTests(SqliteStoreProviderFixture fixture) : StoreProviderConformance<SqliteStoreProviderFixture>(fixture);
