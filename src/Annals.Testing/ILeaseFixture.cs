using Annals.Leases;

namespace Annals.Testing;

/// <summary>
/// Makes the lease managers the lease conformance suite tests, and moves or waits for their clock.
/// Implement it once per backend; xunit creates one instance per test class (a class fixture).
/// </summary>
public interface ILeaseFixture
{
    /// <summary>Makes a fresh lease manager with no leases, isolated from every other one this fixture made.</summary>
    /// <returns>The manager; it stays usable until the fixture is disposed.</returns>
    Task<ILeaseManager> CreateManagerAsync();

    /// <summary>Reads the clock that <paramref name="manager"/> judges expiry by.</summary>
    /// <param name="manager">A manager this fixture made.</param>
    /// <returns>Its clock's current time.</returns>
    Task<DateTimeOffset> GetNowAsync(ILeaseManager manager);

    /// <summary>
    /// Returns once the clock of <paramref name="manager"/> is at or past <paramref name="instant"/>:
    /// a fake clock is moved there, a real one is waited for (and fails the test if it takes far longer).
    /// </summary>
    /// <param name="manager">A manager this fixture made.</param>
    /// <param name="instant">The time to reach.</param>
    /// <returns>A task that completes when the clock has reached it.</returns>
    Task WaitUntilAsync(ILeaseManager manager, DateTimeOffset instant);
}
