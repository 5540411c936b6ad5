using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Annals.Nats;

/// <summary>
/// The named stores of one NATS server: each is a JetStream stream <c>annals_&lt;name&gt;</c> with its key-value
/// buckets. Lists, creates, opens, updates and deletes them, over one connection the stores it opens share.
/// </summary>
/// <example>
/// <code>
/// await using var stores = new NatsStoreProvider(new NatsEventStoreOptions { Url = "nats://nats:4222" });
/// await using var tenant = await stores.OpenAsync("tenant_42");
/// await stores.UpdateAsync("tenant_42", replicas: 3);
/// </code>
/// </example>
public sealed class NatsStoreProvider : IEventStoreProvider
{
    private readonly NatsEventStoreOptions _template;
    private readonly INatsConnection _connection;
    private readonly bool _ownsConnection;
    private readonly NatsJSContext _js;

    /// <summary>Creates the provider.</summary>
    /// <param name="template">
    /// The server (<see cref="NatsEventStoreOptions.Connection"/> or <see cref="NatsEventStoreOptions.Url"/>) and the
    /// settings of every store it opens or creates; its <see cref="NatsEventStoreOptions.Store"/> is not used.
    /// </param>
    public NatsStoreProvider(NatsEventStoreOptions template)
    {
        ArgumentNullException.ThrowIfNull(template);
        _template = template.Clone();
        _ownsConnection = _template.Connection is null;
        _connection = _template.Connection ?? new NatsConnection(new NatsOpts { Url = _template.Url, Name = "annals stores" });
        _template.Connection = _connection;
        _js = new NatsJSContext(_connection);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        await foreach (var name in Call(() => _js.ListStreamNamesAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            if (name.StartsWith(NatsStoreLayout.StreamPrefix, StringComparison.Ordinal) && NameChecks.CheckStore(name[NatsStoreLayout.StreamPrefix.Length..]) is null)
            {
                names.Add(name[NatsStoreLayout.StreamPrefix.Length..]);
            }
        }

        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            yield return name;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        return await Guard(() => NatsRecordBuckets.ExistsAsync(_js, new NatsStoreLayout(name), cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await using var store = await OpenAsync(name, new StoreOpenOptions { CreateIfMissing = true }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>A NATS store has no single owner: <see cref="StoreOpenOptions.Exclusive"/> is refused.</remarks>
    public async ValueTask<IEventStore> OpenAsync(string name, StoreOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        if (options?.Exclusive == true)
        {
            throw new NotSupportedException("A NATS store is shared by every process that opens it: it cannot be opened exclusively.");
        }

        var settings = _template.Clone();
        settings.Store = name;
        settings.CreateIfMissing = options?.CreateIfMissing ?? true;
        return await NatsEventStore.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes how the server keeps a store: how many servers hold it. The stream and every bucket change together; the
    /// events and records stay. Where it is kept (file or memory) is fixed when the store is made.
    /// </summary>
    /// <param name="name">The store.</param>
    /// <param name="replicas">How many servers of the cluster hold each message.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the server has taken the change.</returns>
    /// <exception cref="StoreNotFoundException">The store does not exist.</exception>
    public async Task UpdateAsync(string name, int replicas, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var layout = new NatsStoreLayout(name);
        await Guard(async () =>
        {
            var stream = await GetStreamOrNullAsync(layout, cancellationToken).ConfigureAwait(false)
                ?? throw new StoreNotFoundException(name, $"The NATS store '{name}' does not exist: its JetStream stream '{layout.StreamName}' is missing.");
            var config = stream.Info.Config with { NumReplicas = replicas };
            await _js.UpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            foreach (var kind in NatsStoreLayout.BucketKinds)
            {
                var bucket = await _js.GetStreamAsync(NatsStoreLayout.KvStreamPrefix + layout.Bucket(kind), cancellationToken: cancellationToken).ConfigureAwait(false);
                await _js.UpdateStreamAsync(bucket.Info.Config with { NumReplicas = replicas }, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Stores open on it in this or other processes fail from then on; their events and records are gone.</remarks>
    public async ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        var layout = new NatsStoreLayout(name);
        return await Guard(async () =>
        {
            var existed = await TryDeleteStreamAsync(layout.StreamName, cancellationToken).ConfigureAwait(false);
            foreach (var kind in NatsStoreLayout.BucketKinds)
            {
                await TryDeleteStreamAsync(NatsStoreLayout.KvStreamPrefix + layout.Bucket(kind), cancellationToken).ConfigureAwait(false);
            }

            return existed;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<INatsJSStream?> GetStreamOrNullAsync(NatsStoreLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            return await _js.GetStreamAsync(layout.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }
    }

    private async Task<bool> TryDeleteStreamAsync(string stream, CancellationToken cancellationToken)
    {
        try
        {
            return await _js.DeleteStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return false;
        }
    }

    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            await _connection.ConnectAsync().ConfigureAwait(false);
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or TimeoutException && e is not NatsJSApiException)
        {
            throw new StoreUnavailableException($"The NATS server at {_template.Url} cannot be reached: {e.Message}", e);
        }
    }

    private async IAsyncEnumerable<string> Call(Func<IAsyncEnumerable<string>> list, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Guard(() => Task.FromResult(true)).ConfigureAwait(false);
        await foreach (var item in list().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
