using System.Diagnostics.CodeAnalysis;

namespace Annals.Entities;

/// <summary>
/// The replies to an entity's last commands that carried an id, so that a command sent again after its reply was lost
/// gets that reply again instead of being decided on the state it already changed (where it might be rejected, or
/// decide other events). Used by the entity's mailbox loop only, one command at a time.
/// </summary>
/// <param name="capacity">How many replies are kept; the oldest goes first.</param>
internal sealed class RecentReplies(int capacity)
{
    private readonly Dictionary<string, object> _replies = new(capacity, StringComparer.Ordinal);
    private readonly string?[] _order = new string?[capacity];
    private int _next;

    public bool TryGet(string messageId, [MaybeNullWhen(false)] out object reply) => _replies.TryGetValue(messageId, out reply);

    public void Add(string messageId, object reply)
    {
        if (_replies.TryAdd(messageId, reply))
        {
            if (_order[_next] is { } oldest)
            {
                _replies.Remove(oldest);
            }

            _order[_next] = messageId;
            _next = (_next + 1) % _order.Length;
        }
    }
}
