using System.Globalization;
using Annals.Bench.Accounts;
using Annals.Storage;

namespace Annals.Bench.Data;

/// <summary>
/// What one caller of the <c>decide</c> workload sends, made before measuring: its warm-up and its
/// measured commands, each with its stream. A caller owns the streams <c>k</c> with
/// <c>k % callers == caller</c> and sends to them in rotation, so no two callers share a stream.
/// </summary>
internal sealed class DecidePlan
{
    private DecidePlan(Step[] warmUp, Step[] measured)
    {
        WarmUp = warmUp;
        Measured = measured;
    }

    public Step[] WarmUp { get; }

    public Step[] Measured { get; }

    /// <summary>Plans every caller, sharing the commands out as evenly as possible.</summary>
    public static DecidePlan[] ForAll(DecideSettings settings)
    {
        var callers = settings.Common.Writers;
        var commands = settings.Common.Events;
        var plans = new DecidePlan[callers];
        for (var w = 0; w < callers; w++)
        {
            var streams = Enumerable.Range(0, settings.Streams).Where(k => k % callers == w).ToArray();
            var measured = (commands / callers) + (w < commands % callers ? 1 : 0);
            var random = new Random(w + 1);
            var warmUp = Steps(random, streams, 0, settings.Common.Warmup);
            plans[w] = new DecidePlan(warmUp, Steps(random, streams, warmUp.Length, measured));
        }

        return plans;
    }

    /// <summary>Two deposits for each withdrawal, so most withdrawals are covered and some are declined.</summary>
    private static Step[] Steps(Random random, int[] streams, int first, int count)
    {
        var steps = new Step[count];
        for (var i = 0; i < count; i++)
        {
            var k = streams[(first + i) % streams.Length];
            var amount = random.Next(1, 100_000) / 100m;
            var account = string.Create(CultureInfo.InvariantCulture, $"acc-{k:D6}");
            steps[i] = new Step(StreamNames.Account(k), new AccountCommand(account, random.Next(3) == 0 ? -amount : amount, Guid.NewGuid().ToString("N")));
        }

        return steps;
    }

    /// <summary>One command and the stream it goes to.</summary>
    public readonly record struct Step(StreamName Stream, AccountCommand Command);
}
