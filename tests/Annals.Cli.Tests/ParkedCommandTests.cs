using Annals.Projections;
using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class ParkedCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Parked_list_shows_a_projections_parked_events_and_replay_requests_them()
    {
        var db = _folder.File("parked.db");
        Guid parkedId;
        await using (var store = await SqliteEventStore.OpenAsync(db))
        {
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.Any, [Event("Placed"), Event("Broken"), Event("Shipped")]);
            await using var host = new ProjectionHost(store);
            host.Add("orders", new FailsOn("Broken"), new ProjectionOptions { OnFailure = FailurePolicy.Park, MaxRetries = 0 });
            await host.StartAsync();
            await host.WaitForPositionAsync("orders", 3).WaitAsync(TimeSpan.FromSeconds(30));
            parkedId = Assert.Single(await ParkedEvents.ListAsync(store, "orders")).EventId;
        }

        var listed = (await Cli.RunAsync("parked", "list", "orders", "--db", db)).AssertSuccess();
        var row = Assert.Single(Tables.Rows(listed.Output));
        Assert.Equal(["2", "order.1", "1", "Broken"], row.Take(4));
        Assert.Contains("InvalidOperationException: Broken events fail.", listed.Output);
        Assert.Contains(parkedId.ToString(), listed.Output);

        var replay = (await Cli.RunAsync("parked", "replay", "orders", "--db", db)).AssertSuccess();
        Assert.Contains("Replay requested for 1 parked event of projection 'orders'.", replay.Output);
        var after = (await Cli.RunAsync("parked", "list", "orders", "--db", db)).AssertSuccess();
        Assert.Contains("requested", Assert.Single(Tables.Rows(after.Output)));
        var none = (await Cli.RunAsync("parked", "list", "other", "--db", db)).AssertSuccess();
        Assert.Contains("No parked events for projection 'other'.", none.Output);
    }

    [Fact]
    public async Task Parked_with_a_malformed_projection_name_is_a_usage_error()
    {
        var db = _folder.File("bad.db");
        await (await SqliteEventStore.OpenAsync(db)).DisposeAsync();

        var result = await Cli.RunAsync("parked", "list", "bad name", "--db", db);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("bad name", result.Error + result.Output);
    }

    private static EventData Event(string type) => new(Guid.NewGuid(), type, "{}"u8.ToArray());

    private sealed class FailsOn(string type) : IProjection
    {
        public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken) =>
            batch.Events.Any(e => e.Type == type) ? throw new InvalidOperationException($"{type} events fail.") : ValueTask.CompletedTask;
    }
}
