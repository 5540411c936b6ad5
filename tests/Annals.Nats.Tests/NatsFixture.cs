using Annals.Storage;
using Annals.Testing;
using NATS.Client.Core;

namespace Annals.Nats.Tests;

/// <summary>
/// Stores on the NATS server that the test command starts (<c>ANNALS_NATS_URL</c>): each test gets a store of its own,
/// all over one shared connection, as an application would hold it.
/// </summary>
public sealed class NatsFixture : IEventStoreFixture
{
    private static readonly Lazy<NatsConnection> Shared = new(() => new NatsConnection(new NatsOpts { Url = Url, Name = "annals tests" }));
    private static int _count;

    /// <summary>The server's URL.</summary>
    public static string Url =>
        Environment.GetEnvironmentVariable("ANNALS_NATS_URL") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_NATS_URL is not set: run the tests with ./test.sh, which starts a NATS server and sets it.");

    /// <summary>The connection the stores share.</summary>
    public static NatsConnection Connection => Shared.Value;

    /// <inheritdoc />
    public int MaxEventBytes => 256 * 1024;

    /// <summary>A store name no other test uses, in this process or another.</summary>
    public static string NewStore() => $"t{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";

    /// <inheritdoc />
    public async Task<IEventStore> CreateStoreAsync() => await OpenAsync(NewStore()).ConfigureAwait(false);

    /// <summary>Opens a store by name on the shared connection.</summary>
    public static async Task<NatsEventStore> OpenAsync(string store, Action<NatsEventStoreOptions>? configure = null)
    {
        var options = new NatsEventStoreOptions { Connection = Connection, Store = store, MaxEventBytes = 256 * 1024 };
        configure?.Invoke(options);
        return await NatsEventStore.OpenAsync(options).ConfigureAwait(false);
    }
}
