using Annals.Cli.Rendering;
using Annals.Nats;
using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>
/// A store on a NATS server with JetStream, named by <c>--nats</c> and <c>--store</c>. Like PostgreSQL it has no
/// single owner: looking opens the store without creating it, so a mistyped name is reported instead of made.
/// </summary>
internal sealed class NatsTarget(string url, string store) : StoreTarget
{
    public override string Display => $"NATS store '{store}' on {url}";

    public override string CommandLine => $"--nats {ShellText.Quote(url)} --store {store}";

    public override string SizeLabel => "Stream size";

    public override async Task<IEventStore> OpenForReadingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await NatsEventStore.OpenAsync(Options(createIfMissing: false), cancellationToken);
        }
        catch (StoreNotFoundException)
        {
            throw new CliInputException($"No store in {Display}: pass --store with a store's name, or make one with 'annals append --nats ... --store {store}'.");
        }
    }

    public override async Task<IEventStore> OpenForWritingAsync(CancellationToken cancellationToken) =>
        await NatsEventStore.OpenAsync(Options(createIfMissing: true), cancellationToken);

    public override async Task ClearForNewStoreAsync(bool reset, CancellationToken cancellationToken)
    {
        await using var stores = new NatsStoreProvider(Options(createIfMissing: false));
        if (!await stores.ExistsAsync(store, cancellationToken))
        {
            return;
        }

        if (!reset)
        {
            throw new CliInputException($"The {Display} already exists and the demo writes a new store; pass --reset to replace it, or choose another --store.");
        }

        await stores.DeleteAsync(store, cancellationToken);
    }

    private NatsEventStoreOptions Options(bool createIfMissing) => new() { Url = url, Store = store, CreateIfMissing = createIfMissing };
}
