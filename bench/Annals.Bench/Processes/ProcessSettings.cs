using Annals.Processes;

namespace Annals.Bench.Processes;

/// <summary>What a <c>process</c> run measures: the common settings plus the mode, the pace, the batch size and the poll interval.</summary>
/// <param name="Common">Store, events, appenders (live), stream size (catch-up), warm-up, durability, database.</param>
/// <param name="Live">Live (appenders at a pace, the process following) rather than catch-up (a prepared store from the start).</param>
/// <param name="Rate">Live: the events per second the appenders aim at, together.</param>
/// <param name="BatchSize">The process's <see cref="ProcessOptions.BatchSize"/> (its projection's catch-up batch size is the default, 4096).</param>
/// <param name="PollInterval">The process's <see cref="ProcessOptions.PollInterval"/>.</param>
internal sealed record ProcessSettings(BenchSettings Common, bool Live, int Rate, int BatchSize, TimeSpan PollInterval)
{
    /// <summary>The process under test.</summary>
    public const string ProcessName = "bench-process";

    public string Mode => Live ? "live" : "catch-up";

    public ProcessOptions Options => new() { BatchSize = BatchSize, PollInterval = PollInterval };
}
