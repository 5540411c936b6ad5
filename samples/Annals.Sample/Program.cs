// A small tour of the storage contract on the in-memory store: accounts opened, money moved,
// a conflicting write caught, and a live subscription that sees every event in order.
using System.Text.Json;
using Annals.InMemory;
using Annals.Storage;

await using var store = new InMemoryEventStore();

using var stop = new CancellationTokenSource();
var seen = new List<RecordedEvent>();
var allSeen = new TaskCompletionSource();
var subscription = Task.Run(async () =>
{
    try
    {
        await foreach (var e in store.SubscribeAsync(0, EventFilter.Parse("account.>"), stop.Token))
        {
            seen.Add(e);
            if (e.Type == "Withdrawn" && e.Stream.Id == "alice")
            {
                allSeen.TrySetResult();
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
});

var alice = StreamName.For("account", "alice");
var bob = StreamName.For("account", "bob");

Console.WriteLine("Opening two accounts and depositing:");
var a = await store.AppendAsync(alice, ExpectedRevision.NoStream, [Event("Opened", new { owner = "Alice" }), Event("Deposited", new { amount = 100 })]);
var b = await store.AppendAsync(bob, ExpectedRevision.NoStream, [Event("Opened", new { owner = "Bob" })]);
Console.WriteLine($"  {alice}: revisions {a.FirstRevision}..{a.LastRevision}, positions {a.FirstPosition}..{a.LastPosition}");
Console.WriteLine($"  {bob}: revisions {b.FirstRevision}..{b.LastRevision}, positions {b.FirstPosition}..{b.LastPosition}");

Console.WriteLine();
Console.WriteLine("A stale writer is refused:");
try
{
    await store.AppendAsync(alice, ExpectedRevision.Exact(0), Event("Deposited", new { amount = 5 }));
}
catch (WrongExpectedRevisionException e)
{
    Console.WriteLine($"  {e.GetType().Name}: {e.Message}");
}

Console.WriteLine();
Console.WriteLine("Transferring 30 from Alice to Bob in one atomic batch, guarded by an append condition:");
var aliceEvents = EventFilter.ForStreams(alice);
var head = await store.GetHeadPositionAsync();
var balance = await BalanceAsync(alice);
Console.WriteLine($"  Alice's balance read at position {head}: {balance}");
var transfer = await store.CommitAsync(new CommitBatch()
    .RequireNoneAfter(aliceEvents, head)
    .Append(alice, ExpectedRevision.Any, Event("Withdrawn", new { amount = 30, to = "bob" }))
    .Append(bob, ExpectedRevision.Any, Event("Deposited", new { amount = 30, from = "alice" }))
    .SaveCheckpoint("transfers", head, expectedPosition: null));
Console.WriteLine($"  committed; last position {transfer.LastPosition}");

Console.WriteLine();
Console.WriteLine("Balances folded from the streams:");
Console.WriteLine($"  {alice}: {await BalanceAsync(alice)}");
Console.WriteLine($"  {bob}: {await BalanceAsync(bob)}");

await allSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
await stop.CancelAsync();
await subscription;

Console.WriteLine();
Console.WriteLine($"The subscription to 'account.>' saw {seen.Count} events, in order:");
foreach (var e in seen)
{
    Console.WriteLine($"  #{e.Position} {e.Stream}@{e.Revision} {e.Type} {e.DataAsText()}");
}

async Task<int> BalanceAsync(StreamName account)
{
    var total = 0;
    await foreach (var e in store.ReadStreamAsync(account))
    {
        var amount = JsonDocument.Parse(e.Data).RootElement.TryGetProperty("amount", out var value) ? value.GetInt32() : 0;
        total += e.Type switch { "Deposited" => amount, "Withdrawn" => -amount, _ => 0 };
    }

    return total;
}

static EventData Event(string type, object data) =>
    new(Guid.NewGuid(), type, JsonSerializer.SerializeToUtf8Bytes(data));
