using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.InMemory;

/// <summary>
/// Named in-memory stores, for tests and prototypes: a store lives as long as the provider, so opening a name again
/// sees what was written through an earlier open. Exclusive opens have the semantics of every backend, within the process.
/// </summary>
/// <example>
/// <code>
/// await using var stores = new InMemoryStoreProvider();
/// await using (var orders = await stores.OpenAsync("orders")) { /* write */ }
/// await using var again = await stores.OpenAsync("orders", new StoreOpenOptions { CreateIfMissing = false });
/// </code>
/// </example>
public sealed class InMemoryStoreProvider : IEventStoreProvider
{
    private readonly Lock _lock = new();
    private readonly InMemoryEventStoreOptions _template;
    private readonly SortedDictionary<string, Entry> _stores = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Makes a provider with no stores.</summary>
    /// <param name="template">The options every store is made with; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option of <paramref name="template"/> is invalid; the message names it.</exception>
    public InMemoryStoreProvider(InMemoryEventStoreOptions? template = null)
    {
        _template = template ?? new InMemoryEventStoreOptions();
        _template.Validate();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] names;
        lock (_lock)
        {
            ThrowIfDisposed();
            names = [.. _stores.Keys];
        }

        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_stores.ContainsKey(name));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_stores.TryAdd(name, new Entry(new InMemoryEventStore(_template))));
        }
    }

    /// <inheritdoc />
    public ValueTask<IEventStore> OpenAsync(string name, StoreOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        options ??= new StoreOpenOptions();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_stores.TryGetValue(name, out var entry))
            {
                if (!options.CreateIfMissing)
                {
                    throw new StoreNotFoundException(name, $"No in-memory store named '{name}': it was never created, or it was deleted.");
                }

                entry = new Entry(new InMemoryEventStore(_template));
                _stores.Add(name, entry);
            }

            if (entry.Exclusive)
            {
                throw new StoreLockedException(name, $"The in-memory store '{name}' is open exclusively; it can be opened again once that open is disposed.");
            }

            if (options.Exclusive && entry.Opens > 0)
            {
                throw new StoreLockedException(name, $"The in-memory store '{name}' cannot be opened exclusively: it is open {entry.Opens} time(s).");
            }

            entry.Opens++;
            entry.Exclusive = options.Exclusive;
            return ValueTask.FromResult<IEventStore>(new InMemoryStoreHandle(entry.Store, () => Release(entry)));
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Store(name);
        cancellationToken.ThrowIfCancellationRequested();
        Entry? entry;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_stores.TryGetValue(name, out entry))
            {
                return false;
            }

            if (entry.Opens > 0)
            {
                throw new StoreLockedException(name, $"The in-memory store '{name}' cannot be deleted: it is open {entry.Opens} time(s).");
            }

            _stores.Remove(name);
        }

        await entry.Store.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Forgets every store. Stores still open stay usable until they are disposed.</summary>
    /// <returns>A task that completes when the provider is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        List<InMemoryEventStore> closed;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            closed = [.. _stores.Values.Where(e => e.Opens == 0).Select(e => e.Store)];
            _stores.Clear();
        }

        foreach (var store in closed)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Opens--;
            entry.Exclusive = false;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>A store and who has it open.</summary>
    private sealed class Entry(InMemoryEventStore store)
    {
        public InMemoryEventStore Store { get; } = store;

        public int Opens { get; set; }

        public bool Exclusive { get; set; }
    }
}
