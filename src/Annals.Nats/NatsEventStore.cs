using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

/// <summary>
/// An Annals store on NATS JetStream: one JetStream stream per store with a subject per event stream
/// (<c>&lt;store&gt;.&lt;category&gt;.&lt;id&gt;</c>), one message per commit of a stream's events, a stream's revision checked by
/// the expected last subject sequence; snapshots, durable states, checkpoints, queue messages and leases in key-value
/// buckets, changed by compare-and-set. See <see cref="Capabilities"/> for what one commit may hold.
/// </summary>
public sealed partial class NatsEventStore : EventStoreBase
{
    private readonly NatsEventStoreOptions _options;
    private readonly INatsConnection _connection;
    private readonly bool _ownsConnection;
    private readonly NatsJSContext _js;
    private readonly NatsReadCursors _cursors = new();
    private readonly NatsStoreLayout _layout;
    private readonly NatsRecordBuckets _buckets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Pulse _pulse = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly NatsHeadCache _heads = new();
    private readonly NatsCutoffs _cutoffs;
    private Task _pulseLoop = Task.CompletedTask;
    private Task _pollLoop = Task.CompletedTask;
    private int _disposed;

    private NatsEventStore(NatsEventStoreOptions options, INatsConnection connection, bool ownsConnection, NatsRecordBuckets buckets, string serverVersion)
        : base(options.MaxEventBytes)
    {
        _options = options;
        _connection = connection;
        _ownsConnection = ownsConnection;
        _js = buckets.JetStream;
        _layout = buckets.Layout;
        _buckets = buckets;
        _time = options.TimeProvider;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NatsEventStore>();
        _cutoffs = new NatsCutoffs(buckets.Cutoffs);
        ServerVersion = serverVersion;
        Capabilities = new StoreCapabilities
        {
            AtomicAcrossStreams = false,
            AtomicEventsWithRecords = false,
            AtomicAcrossRecords = false,
            SqlWork = false,
            SyncedOnCommit = false,
            DensePositions = false,
            Notes = $"NATS JetStream {serverVersion}: a commit is one message, so one batch holds one stream's events (with its append conditions) or one snapshot, state, checkpoint or queue message; the server syncs its files to disk on its own schedule, so a commit survives the server's process being killed, not the machine losing power before the sync.",
        };
    }

    /// <summary>The store's name: the first token of its subjects.</summary>
    public string Store => _layout.Store;

    /// <summary>The version of the NATS server the store was opened on.</summary>
    public string ServerVersion { get; }

    /// <inheritdoc />
    /// <remarks>
    /// A NATS server before 2.12 has no atomic publish of several messages: each stream's events are one message and
    /// each record one key-value entry, so a batch may write one of them, and append conditions go with one stream's
    /// events (they are checked by the stream-wide expected last sequence).
    /// </remarks>
    public override StoreCapabilities Capabilities { get; }

    /// <inheritdoc />
    protected override string DatabaseSystem => "nats";

    /// <inheritdoc />
    protected override string? DatabaseNamespace => _layout.Store;

    /// <summary>Opens a store, creating its JetStream stream and buckets when they are missing and <see cref="NatsEventStoreOptions.CreateIfMissing"/> allows.</summary>
    /// <param name="options">The server, the store's name and its settings.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="InvalidNameException">The store's name is malformed.</exception>
    /// <exception cref="StoreNotFoundException">The store does not exist and may not be created.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached or has no JetStream.</exception>
    public static async Task<NatsEventStore> OpenAsync(NatsEventStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        NameChecks.Store(options.Store);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEventBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Replicas, 1);
        var ownsConnection = options.Connection is null;
        var connection = options.Connection ?? new NatsConnection(new NatsOpts { Url = options.Url, Name = $"annals {options.Store}" });
        try
        {
            var buckets = await NatsRecordBuckets.OpenAsync(connection, options, cancellationToken).ConfigureAwait(false);
            var version = connection.ServerInfo?.Version ?? "unknown";
            var maxPayload = connection.ServerInfo?.MaxPayload ?? 1024 * 1024;

            // A message holds the event with its id, type and lengths: leave room for them under the server's limit.
            options.MaxEventBytes = Math.Min(options.MaxEventBytes, Math.Max(1, maxPayload - 1024));
            var store = new NatsEventStore(options, connection, ownsConnection, buckets, version);
            await store._cutoffs.LoadAsync(cancellationToken).ConfigureAwait(false);
            store.Start();
            return store;
        }
        catch
        {
            if (ownsConnection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pulse.Close();
        foreach (var consumer in _cursors.TakeAll())
        {
            await DeleteConsumerAsync(consumer.Info.Name).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pulseLoop, _pollLoop, _cutoffs.Stopped).ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Start()
    {
        _pulseLoop = Task.Run(ListenAsync);
        _pollLoop = Task.Run(PollAsync);
        _cutoffs.Follow(_stopping.Token);
        NatsLog.Opened(_logger, _layout.Store, ServerVersion);
    }

    /// <summary>Wakes this process's readers when any process commits to the store.</summary>
    private async Task ListenAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in _connection.SubscribeAsync<byte[]>(_layout.PulseSubject, cancellationToken: _stopping.Token).ConfigureAwait(false))
                {
                    _pulse.Fire();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException)
            {
                NatsLog.PulseLost(_logger, e);
                await DelayAsync(_options.PollInterval).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The fallback for a wake-up lost with the connection or with a writer killed between its commit and its pulse:
    /// the stream's last sequence, looked at every poll interval.
    /// </summary>
    private async Task PollAsync()
    {
        ulong seen = 0;
        while (!_stopping.IsCancellationRequested)
        {
            await DelayAsync(_options.PollInterval).ConfigureAwait(false);
            try
            {
                var last = await LastSequenceAsync(_stopping.Token).ConfigureAwait(false);
                if (last != seen)
                {
                    seen = last;
                    _pulse.Fire();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or StoreUnavailableException)
            {
                // The server is away: wake the readers so that they find out and wait for it.
                _pulse.Fire();
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            // Wall-clock time: how often to look, not a time the store records.
            await Task.Delay(delay, TimeProvider.System, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Tells every reader of the store, here and in other processes, that it has new events.</summary>
    private void Announce()
    {
        _pulse.Fire();
        _ = PublishPulseAsync();
    }

    private async Task PublishPulseAsync()
    {
        try
        {
            await _connection.PublishAsync(_layout.PulseSubject, cancellationToken: _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            // Readers elsewhere find the commit at their next poll.
        }
    }
}
