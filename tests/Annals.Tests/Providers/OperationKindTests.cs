using Annals.InMemory;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

/// <summary>
/// Every kind of operation is handled everywhere operations are dispatched: a kind added later without a case in the
/// validator, the keys, the planner or the in-memory store fails here, rather than being skipped silently.
/// </summary>
public sealed class OperationKindTests
{
    private static readonly StreamName A = Stream("a");

    /// <summary>One operation of each kind; a kind without one fails <see cref="Every_concrete_operation_type_has_a_kind_of_its_own_and_a_sample"/>.</summary>
    private static BatchOperation Sample(OperationKind kind) => kind switch
    {
        OperationKind.Append => new AppendOperation(A, ExpectedRevision.Any, [Event()]),
        OperationKind.AppendCondition => new AppendConditionOperation(EventFilter.All, 0),
        OperationKind.TruncateStream => new TruncateStreamOperation(A, 1, ExpectedRevision.Any),
        OperationKind.DeleteStream => new DeleteStreamOperation(A, ExpectedRevision.Any),
        OperationKind.SaveSnapshot => new SaveSnapshotOperation(A, 0, "Account", new byte[] { 1 }),
        OperationKind.DeleteSnapshot => new DeleteSnapshotOperation(A),
        OperationKind.SaveState => new SaveStateOperation(A, 1, "Cart", new byte[] { 1 }),
        OperationKind.DeleteState => new DeleteStateOperation(A, 1),
        OperationKind.SaveCheckpoint => new SaveCheckpointOperation("projector", 1, null),
        OperationKind.Enqueue => new EnqueueOperation("timeouts", Guid.NewGuid(), "Timeout", new byte[] { 1 }, Now),
        OperationKind.Reschedule => new RescheduleOperation("timeouts", Guid.NewGuid(), 0, Now, 1, null),
        OperationKind.RemoveMessage => new RemoveMessageOperation("timeouts", Guid.NewGuid(), 0),
        OperationKind.SqlWork => new SqlWorkOperation((_, _) => ValueTask.CompletedTask),
        _ => throw new InvalidOperationException($"No sample operation of kind {kind}: add one."),
    };

    public static TheoryData<OperationKind> Kinds() => [.. Enum.GetValues<OperationKind>()];

    [Fact]
    public void Every_concrete_operation_type_has_a_kind_of_its_own_and_a_sample()
    {
        var types = typeof(BatchOperation).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(BatchOperation)) && !t.IsAbstract)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var kinds = Enum.GetValues<OperationKind>();

        var samples = kinds.Select(Sample).ToList();

        Assert.Equal(types.Count, kinds.Length);
        Assert.Equal(types, samples.Select(s => s.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal));
        Assert.Equal(kinds, samples.Select(s => s.Kind));
        Assert.All(types, t => Assert.True(t.IsSealed, $"{t.Name} is not sealed"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_is_validated_keyed_and_decided(OperationKind kind)
    {
        var operations = BatchValidator.Validate(new CommitBatch().Add(Sample(kind)), 1 << 20);
        var keys = GroupKeys.For(operations);
        var planner = Planner();

        var decision = planner.Decide(operations);

        // Decided: a result, or one of the contract's errors; never a kind skipped or an UnreachableException.
        Assert.True(decision.Succeeded || decision.Error is not null);
        Assert.Equal(kind == OperationKind.SqlWork, keys.HasSqlWork);
        Assert.Equal(kind == OperationKind.SqlWork, decision.RunsSqlWork);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_kind_is_committed_or_refused_by_the_in_memory_store_with_an_annals_error(OperationKind kind)
    {
        await using var store = new InMemoryEventStore();

        var error = await Record.ExceptionAsync(async () => await store.CommitAsync(new CommitBatch().Add(Sample(kind))));

        Assert.True(error is null or AnnalsException, error?.ToString());
    }
}
