using System.Globalization;
using Annals.Projections;

namespace Annals.TestWorker.Projections;

/// <summary>One complete line a worker printed (see Program.cs for the lines).</summary>
/// <param name="Kind">READY, BATCH, LIVE, STATE or STOPPED.</param>
/// <param name="First">A batch's first position; otherwise the same as <paramref name="Last"/>.</param>
/// <param name="Last">A batch's last position, or the checkpoint a LIVE or STATE line reports.</param>
/// <param name="State">The state a LIVE or STATE line reports.</param>
public sealed record WorkerLine(string Kind, long First, long Last, ProjectionState? State)
{
    /// <summary>When the test process received the line, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp; 0 when not known.</summary>
    public long ReceivedAt { get; init; }

    /// <summary>Whether the line reports a batch handed over for commit.</summary>
    public bool IsBatch => Kind == "BATCH";

    /// <summary>Whether the line reports a state and checkpoint.</summary>
    public bool IsStatus => Kind is "LIVE" or "STATE";

    /// <summary>Reads a line; <see langword="null"/> for one cut short by a kill or not of the worker's kinds.</summary>
    /// <param name="text">The line as printed.</param>
    /// <returns>The line, or <see langword="null"/>.</returns>
    public static WorkerLine? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ');
        if (parts.Length < 2 || parts[^1] != ".")
        {
            return null;
        }

        return parts[..^1] switch
        {
            ["READY"] or ["STOPPED"] => new WorkerLine(parts[0], 0, 0, null),
            ["BATCH", var first, var last] => new WorkerLine("BATCH", Number(first), Number(last), null),
            ["LIVE", var position] => new WorkerLine("LIVE", Number(position), Number(position), ProjectionState.Live),
            ["STATE", var state, var position] => new WorkerLine("STATE", Number(position), Number(position), Enum.Parse<ProjectionState>(state)),
            _ => null,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        "BATCH" => string.Create(CultureInfo.InvariantCulture, $"BATCH {First} {Last}"),
        "LIVE" or "STATE" => string.Create(CultureInfo.InvariantCulture, $"{State} {Last}"),
        _ => Kind,
    };

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
