namespace Annals.Hosting.Tests;

/// <summary>
/// The NATS server with JetStream named by <c>ANNALS_NATS_URL</c>, as build/nats.sh (and test.sh) set it. A missing
/// server fails the test.
/// </summary>
public static class NatsServer
{
    private static int _count;

    public static string Url =>
        Environment.GetEnvironmentVariable("ANNALS_NATS_URL") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_NATS_URL is not set: source build/nats.sh and start a server, or run the tests with ./test.sh.");

    /// <summary>A store name no other test of any run uses.</summary>
    public static string NewStore() => $"h{Environment.ProcessId}_{Interlocked.Increment(ref _count)}_{Guid.NewGuid().ToString("N")[..8]}";
}
