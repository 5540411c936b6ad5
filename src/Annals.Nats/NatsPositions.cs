namespace Annals.Nats;

/// <summary>
/// How an event's position maps to its JetStream message: each commit to a stream is one message, and its events take
/// the positions <c>(sequence - 1) × 65,536 + index + 1</c>. Positions so grow in commit order, the first event of a
/// store is at 1, and the message of any position is found by division.
/// </summary>
internal static class NatsPositions
{
    /// <summary>The most events one commit to one stream may hold.</summary>
    public const int EventsPerMessage = 65_536;

    public static long Of(ulong sequence, int index) => ((long)sequence - 1) * EventsPerMessage + index + 1;

    /// <summary>The message that holds the position; 0 for positions before the first.</summary>
    public static ulong SequenceOf(long position) => position <= 0 ? 0 : (ulong)((position - 1) / EventsPerMessage) + 1;

    /// <summary>The highest position a message could hold: what the planner takes as the head, so that positions it plans are above every stored one.</summary>
    public static long LastOf(ulong sequence) => sequence == 0 ? 0 : Of(sequence, EventsPerMessage - 1);
}
