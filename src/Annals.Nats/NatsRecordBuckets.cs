using Annals.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

/// <summary>A store's JetStream stream and key-value buckets, found or made when the store opens.</summary>
internal sealed class NatsRecordBuckets
{
    private NatsRecordBuckets(NatsJSContext js, NatsStoreLayout layout, IReadOnlyDictionary<string, INatsKVStore> buckets)
    {
        JetStream = js;
        Layout = layout;
        Snapshots = buckets["snapshots"];
        States = buckets["states"];
        Checkpoints = buckets["checkpoints"];
        Queue = buckets["queue"];
        Ids = buckets["ids"];
        Cutoffs = buckets["cutoffs"];
        Leases = buckets["leases"];
    }

    public NatsJSContext JetStream { get; }

    public NatsStoreLayout Layout { get; }

    public INatsKVStore Snapshots { get; }

    public INatsKVStore States { get; }

    public INatsKVStore Checkpoints { get; }

    public INatsKVStore Queue { get; }

    public INatsKVStore Ids { get; }

    public INatsKVStore Cutoffs { get; }

    public INatsKVStore Leases { get; }

    public static async Task<NatsRecordBuckets> OpenAsync(INatsConnection connection, NatsEventStoreOptions options, CancellationToken cancellationToken)
    {
        var layout = new NatsStoreLayout(options.Store);
        var js = new NatsJSContext(connection);
        var kv = new NatsKVContext(js);
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            if (!await ExistsAsync(js, layout, cancellationToken).ConfigureAwait(false))
            {
                if (!options.CreateIfMissing)
                {
                    throw new StoreNotFoundException(options.Store, $"The NATS store '{options.Store}' does not exist: its JetStream stream '{layout.StreamName}' is missing.");
                }

                await js.CreateOrUpdateStreamAsync(StreamConfig(layout, options), cancellationToken).ConfigureAwait(false);
            }

            var buckets = new Dictionary<string, INatsKVStore>(StringComparer.Ordinal);
            foreach (var kind in NatsStoreLayout.BucketKinds)
            {
                buckets[kind] = await kv.CreateOrUpdateStoreAsync(BucketConfig(layout.Bucket(kind), options), cancellationToken).ConfigureAwait(false);
            }

            return new NatsRecordBuckets(js, layout, buckets);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 503)
        {
            throw new StoreUnavailableException($"The NATS server at {options.Url} has no JetStream: start it with JetStream enabled (nats-server -js).", e);
        }
        catch (Exception e) when (e is NatsException or TimeoutException && e is not NatsJSApiException)
        {
            throw new StoreUnavailableException($"The NATS server at {options.Url} cannot be reached: {e.Message}", e);
        }
    }

    public static async Task<bool> ExistsAsync(NatsJSContext js, NatsStoreLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            await js.GetStreamAsync(layout.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return false;
        }
    }

    public static StreamConfig StreamConfig(NatsStoreLayout layout, NatsEventStoreOptions options) => new(layout.StreamName, [layout.AllSubjects])
    {
        Description = $"Annals store '{layout.Store}': one message per commit of a stream's events",
        Storage = options.Storage == NatsStoreStorage.Memory ? StreamConfigStorage.Memory : StreamConfigStorage.File,
        NumReplicas = options.Replicas,
        DuplicateWindow = options.DuplicateWindow,
        Retention = StreamConfigRetention.Limits,
        Discard = StreamConfigDiscard.New,
        AllowDirect = true,
        AllowRollupHdrs = false,
        DenyDelete = false,
        DenyPurge = false,
    };

    private static NatsKVConfig BucketConfig(string bucket, NatsEventStoreOptions options) => new(bucket)
    {
        History = 1,
        Storage = options.Storage == NatsStoreStorage.Memory ? NatsKVStorageType.Memory : NatsKVStorageType.File,
        NumberOfReplicas = options.Replicas,
    };
}
