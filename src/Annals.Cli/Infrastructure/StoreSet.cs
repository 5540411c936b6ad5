using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>The named stores a <c>store</c> command works on: the SQLite stores of a folder (<c>--dir</c>) or the stores of a PostgreSQL database (<c>--postgres</c>).</summary>
internal sealed class StoreSet(IEventStoreProvider provider, string display) : IAsyncDisposable
{
    public IEventStoreProvider Provider { get; } = provider;

    /// <summary>Where the stores are, for people: <c>folder '/full/path'</c> or <c>database host:port/name</c>.</summary>
    public string Display { get; } = display;

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
