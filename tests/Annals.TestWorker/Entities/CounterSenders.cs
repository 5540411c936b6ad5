using Annals.Entities;
using Annals.Storage;

namespace Annals.TestWorker.Entities;

/// <summary>Senders that add random amounts to random counters through one engine, each waiting for its reply before the next command.</summary>
public static class CounterSenders
{
    /// <summary>
    /// How long a sender waits for a reply: long enough that every command ends acknowledged or in a conflict, never
    /// with an unknown outcome that the test could not count.
    /// </summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the senders at once and reports every command's outcome.</summary>
    /// <param name="engine">The started engine hosting <see cref="CounterDomain"/>.</param>
    /// <param name="senders">How many senders run at once.</param>
    /// <param name="commandsPerSender">How many commands each sends.</param>
    /// <param name="entities">How many counters they share: <c>counter.c0</c> and on.</param>
    /// <param name="seed">Makes this run's choices differ from another engine's.</param>
    /// <param name="report">Called with each outcome, from any sender's thread.</param>
    /// <returns>A task that completes when every sender is done, or fails with the first error other than a conflict (the other senders then stop).</returns>
    public static async Task RunAsync(EntityEngine engine, int senders, int commandsPerSender, int entities, int seed, Action<CommandOutcome> report)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(report);
        using var failed = new CancellationTokenSource();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            try
            {
                var random = new Random(HashCode.Combine(seed, sender));
                for (var i = 0; i < commandsPerSender && !failed.IsCancellationRequested; i++)
                {
                    report(await SendAsync(engine, CounterDomain.Entity(random.Next(entities)), random.Next(1, 10)).ConfigureAwait(false));
                }
            }
            catch
            {
                // Once something is wrong, more commands only bury the first error.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }))).ConfigureAwait(false);
    }

    private static async Task<CommandOutcome> SendAsync(EntityEngine engine, StreamName entity, int amount)
    {
        try
        {
            var reply = await engine.SendCommandAsync<Counter>(entity, new Add(amount), CommandTimeout).ConfigureAwait(false);
            return new CommandOutcome(entity, amount, reply.Revision ?? throw new InvalidOperationException($"{entity} stored no event for adding {amount}."));
        }
        catch (EntityConflictException)
        {
            return new CommandOutcome(entity, amount, null);
        }
    }
}
