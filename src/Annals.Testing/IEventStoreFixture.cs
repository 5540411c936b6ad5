using Annals.Storage;

namespace Annals.Testing;

/// <summary>
/// Makes the stores a conformance suite tests. Implement it once per backend; xunit creates one
/// instance per test class (a class fixture), so it may hold a server connection or a folder.
/// </summary>
public interface IEventStoreFixture
{
    /// <summary>Makes a fresh, empty store, isolated from every other store this fixture made.</summary>
    /// <returns>The store; the test disposes it.</returns>
    Task<IEventStore> CreateStoreAsync();

    /// <summary>The largest event (data plus metadata) the stores made by this fixture accept.</summary>
    int MaxEventBytes => EventStoreLimits.DefaultMaxEventBytes;
}
