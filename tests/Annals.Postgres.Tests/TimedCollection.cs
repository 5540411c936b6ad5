using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Tests that bound how long something takes across processes: they run alone, after every other test class, so
/// that no other test's processes compete with theirs for the CPU and stretch what they measure.
/// </summary>
[CollectionDefinition(nameof(TimedCollection), DisableParallelization = true)]
public sealed class TimedCollection;
