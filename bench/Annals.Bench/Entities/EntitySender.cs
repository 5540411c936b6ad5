using System.Diagnostics;
using System.Globalization;
using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Entities;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>
/// The one sender of one entity in the <c>entity</c> workload: sends deposits one after another, awaiting each
/// reply; each deposit stores one event of about 100 bytes. Its commands are made before measuring.
/// </summary>
internal sealed class EntitySender
{
    private readonly AccountCommand[] _warmUp;
    private readonly AccountCommand[] _measured;

    public EntitySender(int entity, int warmUp, int measured)
    {
        Entity = StreamNames.Account(entity);
        var random = new Random(entity + 1);
        var account = string.Create(CultureInfo.InvariantCulture, $"acc-{entity:D6}");
        AccountCommand Deposit() => new(account, random.Next(1, 100_000) / 100m, Guid.NewGuid().ToString("N"));
        _warmUp = [.. Enumerable.Range(0, warmUp).Select(_ => Deposit())];
        _measured = [.. Enumerable.Range(0, measured).Select(_ => Deposit())];
        Latencies = new Latencies(measured);
    }

    public StreamName Entity { get; }

    public Latencies Latencies { get; }

    public async Task WarmUpAsync(EntityEngine engine, CancellationToken cancellationToken)
    {
        foreach (var command in _warmUp)
        {
            await SendAsync(engine, command, cancellationToken);
        }
    }

    public async Task RunAsync(EntityEngine engine, Task start, CancellationToken cancellationToken)
    {
        await start;
        foreach (var command in _measured)
        {
            var started = Stopwatch.GetTimestamp();
            await SendAsync(engine, command, cancellationToken);
            Latencies.Add(started);
        }
    }

    private async Task SendAsync(EntityEngine engine, AccountCommand command, CancellationToken cancellationToken)
    {
        var reply = await engine.SendCommandAsync<AccountState>(Entity, command, cancellationToken: cancellationToken);
        if (reply.Events.Count != 1)
        {
            throw new InvalidOperationException($"A deposit to {Entity} stored {reply.Events.Count} events instead of one.");
        }
    }
}
