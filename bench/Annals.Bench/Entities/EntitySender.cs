using System.Diagnostics;
using System.Globalization;
using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Entities;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>
/// A sender of the <c>entity</c> workload: sends deposits to its entity one after another, awaiting each reply; each
/// deposit stores one event of about 100 bytes. Its commands are made before measuring. A command that loses its race
/// to another engine twice (<see cref="EntityConflictException"/>) is counted and sent again.
/// </summary>
internal sealed class EntitySender
{
    private readonly AccountCommand[] _warmUp;
    private readonly AccountCommand[] _measured;

    public EntitySender(int sender, int entity, int warmUp, int measured)
    {
        Entity = StreamNames.Account(entity);
        var random = new Random(sender + 1);
        var account = string.Create(CultureInfo.InvariantCulture, $"acc-{entity:D6}");
        AccountCommand Deposit() => new(account, random.Next(1, 100_000) / 100m, Guid.NewGuid().ToString("N"));
        _warmUp = [.. Enumerable.Range(0, warmUp).Select(_ => Deposit())];
        _measured = [.. Enumerable.Range(0, measured).Select(_ => Deposit())];
        Latencies = new Latencies(measured);
    }

    public StreamName Entity { get; }

    public Latencies Latencies { get; }

    /// <summary>Measured commands that failed with <see cref="EntityConflictException"/> and were sent again.</summary>
    public long Conflicts { get; private set; }

    public async Task WarmUpAsync(ICommandSender engine, CancellationToken cancellationToken)
    {
        foreach (var command in _warmUp)
        {
            while (!await TrySendAsync(engine, command, cancellationToken))
            {
            }
        }
    }

    public async Task RunAsync(ICommandSender engine, Task start, CancellationToken cancellationToken)
    {
        await start;
        foreach (var command in _measured)
        {
            var started = Stopwatch.GetTimestamp();
            while (!await TrySendAsync(engine, command, cancellationToken))
            {
                Conflicts++;
            }

            Latencies.Add(started);
        }
    }

    /// <returns>False when the command lost its race to another engine and stored nothing.</returns>
    private async Task<bool> TrySendAsync(ICommandSender engine, AccountCommand command, CancellationToken cancellationToken)
    {
        EntityReply<AccountState> reply;
        try
        {
            reply = await engine.SendCommandAsync<AccountState>(Entity, command, cancellationToken: cancellationToken);
        }
        catch (EntityConflictException)
        {
            return false;
        }

        if (reply.Events.Count != 1)
        {
            throw new InvalidOperationException($"A deposit to {Entity} stored {reply.Events.Count} events instead of one.");
        }

        return true;
    }
}
