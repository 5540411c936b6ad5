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
    /// The stored messages on a filter subject from a sequence on, in order, through an ephemeral consumer made for the
    /// read: with the singular filter subject, which a server before 2.10 honours (it ignores the plural one).
    /// </summary>
    private async IAsyncEnumerable<INatsJSMsg<byte[]>> FetchAsync(string filterSubject, ulong fromSequence, int maxMessages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (maxMessages <= 0)
        {
            yield break;
        }

        var config = new ConsumerConfig
        {
            Name = $"annals_read_{Guid.NewGuid():N}",
            DeliverPolicy = fromSequence <= 1 ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = fromSequence <= 1 ? 0 : fromSequence,
            FilterSubject = filterSubject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = TimeSpan.FromSeconds(30),
            MemStorage = true,
            NumReplicas = 1,
        };

        INatsJSConsumer consumer;
        try
        {
            consumer = await _js.CreateOrUpdateConsumerAsync(_layout.StreamName, config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }

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
                while (true)
                {
                    INatsJSMsg<byte[]> message;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        message = enumerator.Current;
                    }
                    catch (Exception e) when (NatsErrors.IsUnavailable(e))
                    {
                        throw NatsErrors.Unavailable(this, e);
                    }

                    got++;
                    pending = message.Metadata?.NumPending ?? 0;
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
            _ = DeleteConsumerAsync(config.Name);
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
