using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class ParkedProcessCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Parked_lists_a_process_parked_commands_and_replay_makes_them_due_again()
    {
        var db = _folder.File("process.db");
        var codec = new EventCodec(new TypeRegistry().Register<OrderPlaced>("order-placed").Register<ShipOrder>("ship-order"));
        Guid commandId;
        await using (var store = await SqliteEventStore.OpenAsync(db))
        {
            var failed = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var host = new ProcessHost(store, codec);
            host.Routes.ToHandler<ShipOrder>((_, delivery, _) =>
            {
                failed.TrySetResult(delivery.MessageId);
                throw new InvalidOperationException("the warehouse is closed");
            });
            host.Add("shipping", new Shipping(), new ProcessOptions { MaxAttempts = 1 });
            await host.StartAsync();
            await store.AppendAsync(StreamName.Parse("order.7"), ExpectedRevision.NoStream, codec.Encode(new OrderPlaced("7")));
            commandId = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // The failure is stored right after the handler threw.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await host.GetStatusAsync("shipping", patience.Token)).Parked == 0)
            {
                await Task.Yield();
            }

            await host.StopAsync();
        }

        var listed = (await Cli.RunAsync("parked", "list", "process:shipping", "--db", db)).AssertSuccess();
        var row = Assert.Single(Tables.Rows(listed.Output));
        Assert.Equal(["command", "7", "ship-order", "warehouse.7", "1"], row.Take(5));
        Assert.Contains("the warehouse is closed", listed.Output);
        Assert.Contains(commandId.ToString(), listed.Output);

        var replay = (await Cli.RunAsync("parked", "replay", "process:shipping", "--db", db)).AssertSuccess();
        Assert.Contains("1 parked message of process 'shipping' is due again.", replay.Output);
        await using (var store = await SqliteEventStore.OpenAsync(db))
        {
            var message = await store.ReadMessageAsync("process:shipping:commands", commandId);
            Assert.NotNull(message);
            Assert.True(message.DueAt < ParkedEvents.NotDue);
            Assert.Equal(1, message.FailureCount);
        }

        var none = (await Cli.RunAsync("parked", "list", "process:shipping", "--db", db)).AssertSuccess();
        Assert.Contains("No parked commands or timeouts for process 'shipping'.", none.Output);
    }

    private sealed record OrderPlaced(string Order);

    private sealed record ShipOrder(string Order);

    private sealed class Shipping : IProcess<int>
    {
        public EventFilter Filter { get; } = EventFilter.Parse("order.*.order-placed");

        public int InitialState => 0;

        public ProcessRoute Route(object @event) => @event is OrderPlaced placed ? ProcessRoute.Start(placed.Order) : ProcessRoute.Ignore;

        public ProcessStep<int> Handle(int state, object message, ProcessContext context) =>
            ProcessStep.With(state + 1).Send(StreamName.For("warehouse", context.InstanceId), new ShipOrder(context.InstanceId));
    }
}
