using System.Collections.Concurrent;
using Annals.Storage;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

/// <summary>
/// The first revision still stored of each stream that was truncated or deleted, kept in a bucket and followed here:
/// reads of the log leave out a stream's events below it, also those of a message that holds kept events too.
/// </summary>
internal sealed class NatsCutoffs(INatsKVStore bucket)
{
    private readonly ConcurrentDictionary<StreamName, long> _cutoffs = new();
    private Task _watch = Task.CompletedTask;

    public bool IsEmpty => _cutoffs.IsEmpty;

    public long FirstRevision(StreamName stream) => _cutoffs.TryGetValue(stream, out var first) ? first : 0;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await foreach (var key in bucket.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var entry = await bucket.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entry.Success && entry.Value.Value is { } value)
            {
                Apply(value);
            }
        }
    }

    public void Follow(CancellationToken stopping) => _watch = Task.Run(() => WatchAsync(stopping), CancellationToken.None);

    public Task Stopped => _watch;

    public void Raise(StreamName stream, long firstRevision) => _cutoffs.AddOrUpdate(stream, firstRevision, (_, old) => Math.Max(old, firstRevision));

    public async Task SaveAsync(StreamName stream, long firstRevision, CancellationToken cancellationToken)
    {
        Raise(stream, firstRevision);
        var writer = new NatsBinaryWriter(64);
        writer.Int64(firstRevision);
        writer.String(stream.Value);
        await bucket.PutAsync(NatsKeys.StreamKey(stream), writer.Written.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private void Apply(byte[] value)
    {
        var reader = new NatsBinaryReader(value, "A stream's cut-off");
        var first = reader.Int64();
        if (StreamName.TryParse(reader.String(), out var stream))
        {
            Raise(stream, first);
        }
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var entry in bucket.WatchAsync<byte[]>(cancellationToken: stopping).ConfigureAwait(false))
                {
                    if (entry.Operation == NatsKVOperation.Put && entry.Value is { } value)
                    {
                        Apply(value);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or CorruptDataException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
