using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Tests that restart the shared PostgreSQL server: they run alone, after every other test class,
/// so that no other test loses its connections halfway.
/// </summary>
[CollectionDefinition(nameof(ServerRestartCollection), DisableParallelization = true)]
public sealed class ServerRestartCollection;
