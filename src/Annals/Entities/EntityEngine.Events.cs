using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Annals.Storage;

namespace Annals.Entities;

public sealed partial class EntityEngine
{
    private readonly Lock _subscribersGate = new();
    private ImmutableSubscribers _subscribers = ImmutableSubscribers.Empty;

    /// <summary>
    /// The events this engine's entities commit, in-process, after each commit, in commit order per entity. For
    /// notifications: a subscriber that falls more than <see cref="EngineOptions.EventBufferCapacity"/> events behind
    /// loses the oldest, and events committed by other processes are not seen; durable consumers use projections.
    /// </summary>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, from the moment of subscribing, until the engine stops or the token is cancelled.</returns>
    public async IAsyncEnumerable<EngineEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(_options.EventBufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        lock (_subscribersGate)
        {
            if (Volatile.Read(ref _state) == 2)
            {
                yield break;
            }

            _subscribers = _subscribers.Add(channel);
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_subscribersGate)
            {
                _subscribers = _subscribers.Remove(channel);
            }
        }
    }

    internal void Publish(StreamName entity, object[] events, long lastRevision, long lastPosition)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Channels.Length == 0)
        {
            return;
        }

        // One append's events have consecutive revisions and positions.
        for (var i = 0; i < events.Length; i++)
        {
            var back = events.Length - 1 - i;
            var e = new EngineEvent(entity, events[i], lastRevision - back, lastPosition - back);
            foreach (var channel in subscribers.Channels)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    private void CompleteSubscribers()
    {
        lock (_subscribersGate)
        {
            foreach (var channel in _subscribers.Channels)
            {
                channel.Writer.TryComplete();
            }
        }
    }

    /// <summary>Copy-on-write list of subscriber channels, so publishing takes no lock.</summary>
    private sealed class ImmutableSubscribers(Channel<EngineEvent>[] channels)
    {
        public static ImmutableSubscribers Empty { get; } = new([]);

        public Channel<EngineEvent>[] Channels { get; } = channels;

        public ImmutableSubscribers Add(Channel<EngineEvent> channel) => new([.. Channels, channel]);

        public ImmutableSubscribers Remove(Channel<EngineEvent> channel) => new([.. Channels.Where(c => c != channel)]);
    }
}
