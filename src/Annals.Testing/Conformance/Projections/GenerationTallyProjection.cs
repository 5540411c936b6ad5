using System.Globalization;
using System.Text;
using Annals.Projections;
using Annals.Storage;

namespace Annals.Testing.Conformance.Projections;

/// <summary>
/// A side-by-side projection for the suite: it counts events into a durable state per generation
/// (<c>gtally.g{n}</c>) and records the generation readers use in <c>gtally.active</c>. Batches of one generation can
/// be slowed down, to keep a rebuild going while the current generation serves.
/// </summary>
internal sealed class GenerationTallyProjection(IEventStore store) : ISideBySideProjection
{
    public static readonly StreamName Active = StreamName.For("gtally", "active");

    public long? SlowGeneration { get; set; }

    public static StreamName KeyOf(long generation) => StreamName.For("gtally", string.Create(CultureInfo.InvariantCulture, $"g{generation}"));

    public static async Task<long?> CountAsync(IEventStore store, long generation) =>
        await store.ReadStateAsync(KeyOf(generation)) is { } state ? long.Parse(Encoding.UTF8.GetString(state.Data.Span), CultureInfo.InvariantCulture) : null;

    public static async Task<long> ActiveAsync(IEventStore store) =>
        await store.ReadStateAsync(Active) is { } state ? long.Parse(Encoding.UTF8.GetString(state.Data.Span), CultureInfo.InvariantCulture) : 0;

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Generation == SlowGeneration)
        {
            await Task.Delay(150, cancellationToken);
        }

        var key = KeyOf(batch.Generation);
        var state = await store.ReadStateAsync(key, cancellationToken);
        var count = state is null ? 0 : long.Parse(Encoding.UTF8.GetString(state.Data.Span), CultureInfo.InvariantCulture);
        batch.Commit.SaveState(key, (state?.Version ?? 0) + 1, "count", Text(count + batch.Events.Count));
    }

    public async ValueTask ActivateAsync(long generation, CommitBatch commit, CancellationToken cancellationToken)
    {
        var state = await store.ReadStateAsync(Active, cancellationToken);
        commit.SaveState(Active, (state?.Version ?? 0) + 1, "generation", Text(generation));
    }

    public async ValueTask DropAsync(long generation, CommitBatch commit, CancellationToken cancellationToken)
    {
        if (await store.ReadStateAsync(KeyOf(generation), cancellationToken) is { } state)
        {
            commit.DeleteState(KeyOf(generation), state.Version);
        }
    }

    private static byte[] Text(long value) => Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
