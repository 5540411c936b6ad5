using System.Runtime.CompilerServices;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Annals.Nats;

public sealed partial class NatsEventStore
{
    private const int FetchBatch = 512;

    /// <summary>How long a fetch that the server leaves unanswered waits; a fetch of pending messages never needs it.</summary>
    private static readonly TimeSpan FetchExpiry = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The stored messages on a filter subject from a sequence on, in order, through an ephemeral consumer with the
    /// singular filter subject, which a server before 2.10 honours (it ignores the plural one). The consumer of an earlier
    /// page that ended where this one starts is taken up again; this one's is kept for the next page when the reader took
    /// every message delivered to it.
    /// </summary>
    private async IAsyncEnumerable<INatsJSMsg<byte[]>> FetchAsync(string filterSubject, ulong fromSequence, int maxMessages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (maxMessages <= 0)
        {
            yield break;
        }

        var start = Math.Max(1, fromSequence);
        var consumer = await OpenConsumerAsync(filterSubject, start, cancellationToken).ConfigureAwait(false);
        var next = start;
        var undelivered = false;
        try
        {
            // A server before 2.11 leaves a no-wait fetch that delivers nothing unanswered until it expires, instead of
            // saying "no messages": so fetch only what the consumer has pending, and let a fetch expire soon at worst.
            var pending = consumer.Info.NumPending;
            var remaining = (int)Math.Min((ulong)maxMessages, pending);
            while (remaining > 0)
            {
                var got = 0;
                var request = new NatsJSFetchOpts { MaxMsgs = Math.Min(remaining, FetchBatch), Expires = FetchExpiry };
                var messages = consumer.FetchNoWaitAsync<byte[]>(request, cancellationToken: cancellationToken);
                await using var enumerator = messages.GetAsyncEnumerator(cancellationToken);

                // Until the fetch has delivered all it asked for, a reader that stops leaves messages the consumer has passed.
                undelivered = true;
                while (true)
                {
                    INatsJSMsg<byte[]> message;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            undelivered = false;
                            break;
                        }

                        message = enumerator.Current;
                    }
                    catch (Exception e) when (NatsErrors.IsUnavailable(e))
                    {
                        throw NatsErrors.Unavailable(this, e);
                    }

                    got++;
                    undelivered = got < request.MaxMsgs;
                    pending = message.Metadata?.NumPending ?? 0;
                    next = (message.Metadata?.Sequence.Stream ?? next) + 1;
                    yield return message;
                }

                remaining -= got;
                if (got == 0 || pending == 0)
                {
                    yield break;
                }
            }
        }
        finally
        {
            if (undelivered || Volatile.Read(ref _disposed) != 0)
            {
                // The consumer has passed messages the reader did not take: it cannot go on from where the reader stopped.
                _ = DeleteConsumerAsync(consumer.Info.Name);
            }
            else if (_cursors.Keep(filterSubject, next, consumer) is { } pushedOut)
            {
                _ = DeleteConsumerAsync(pushedOut.Info.Name);
            }
        }
    }

    /// <summary>A consumer whose next message is the first at or after <paramref name="start"/> on the subject, its pending count up to date.</summary>
    private async Task<INatsJSConsumer> OpenConsumerAsync(string filterSubject, ulong start, CancellationToken cancellationToken)
    {
        if (_cursors.Take(filterSubject, start) is { } kept)
        {
            try
            {
                await kept.RefreshAsync(cancellationToken).ConfigureAwait(false);
                return kept;
            }
            catch (Exception e) when (e is NatsJSApiException or NATS.Client.Core.NatsException or TimeoutException)
            {
                // Gone with a server restart, or idle past its threshold: make a new one.
                _ = DeleteConsumerAsync(kept.Info.Name);
            }
        }

        var config = new ConsumerConfig
        {
            Name = $"annals_read_{Guid.NewGuid():N}",
            DeliverPolicy = start <= 1 ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = start <= 1 ? 0 : start,
            FilterSubject = filterSubject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = TimeSpan.FromSeconds(30),
            MemStorage = true,
            NumReplicas = 1,
        };

        try
        {
            return await _js.CreateOrUpdateConsumerAsync(_layout.StreamName, config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }
    }

    private async Task DeleteConsumerAsync(string name)
    {
        try
        {
            await _js.DeleteConsumerAsync(_layout.StreamName, name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NATS.Client.Core.NatsException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The server removes it itself once it has been idle for its inactive threshold.
        }
    }
}
