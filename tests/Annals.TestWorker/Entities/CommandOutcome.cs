using System.Globalization;
using Annals.Entities;
using Annals.Storage;

namespace Annals.TestWorker.Entities;

/// <summary>
/// What became of one <see cref="Add"/> sent to a counter: acknowledged at a revision, or refused with
/// <see cref="EntityConflictException"/>. A worker prints it as one line that ends in " ." so that a cut line is recognised:
/// <c>ACK &lt;entity&gt; &lt;amount&gt; &lt;revision&gt; .</c> or <c>CONFLICT &lt;entity&gt; &lt;amount&gt; .</c>.
/// </summary>
/// <param name="Entity">The counter.</param>
/// <param name="Amount">The amount the command added.</param>
/// <param name="Revision">The counter's revision after the command, which is its event's; <see langword="null"/> for a conflict.</param>
public sealed record CommandOutcome(StreamName Entity, int Amount, long? Revision)
{
    /// <summary>Whether the engine acknowledged the command.</summary>
    public bool Acknowledged => Revision is not null;

    /// <summary>Reads a line that <see cref="ToLine"/> wrote.</summary>
    /// <param name="line">A line of a worker's output.</param>
    /// <returns>The outcome; <see langword="null"/> for any other line.</returns>
    public static CommandOutcome? Parse(string line) => line.Split(' ') switch
    {
        ["ACK", var entity, var amount, var revision, "."] => new(StreamName.Parse(entity), Number(amount), long.Parse(revision, CultureInfo.InvariantCulture)),
        ["CONFLICT", var entity, var amount, "."] => new(StreamName.Parse(entity), Number(amount), null),
        _ => null,
    };

    /// <summary>The outcome as one line of a worker's output.</summary>
    /// <returns>The line, ending in " .".</returns>
    public string ToLine() => Revision is { } revision
        ? string.Create(CultureInfo.InvariantCulture, $"ACK {Entity} {Amount} {revision} .")
        : string.Create(CultureInfo.InvariantCulture, $"CONFLICT {Entity} {Amount} .");

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
