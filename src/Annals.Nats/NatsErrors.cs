using Annals.Storage;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Annals.Nats;

/// <summary>What the server's and the client's errors mean to the store.</summary>
internal static class NatsErrors
{
    /// <summary>JetStream's code for a publish whose expected last sequence (stream-wide or of its subject) is not the stored one.</summary>
    public const int WrongLastSequence = 10071;

    /// <summary>JetStream's code for a message that was asked for and is not stored.</summary>
    public const int NoMessageFound = 10037;

    public static bool IsUnavailable(Exception e) =>
        e is NatsNoRespondersException or NatsConnectionFailedException or TimeoutException or NatsNoReplyException
        || (e is NatsException && e is not NatsJSApiException && e is not NatsJSException);

    public static StoreUnavailableException Unavailable(NatsEventStore store, Exception e) =>
        new($"The NATS server of store '{store.Store}' cannot be reached: {e.Message}", e);

    public static bool IsNotFound(Exception e) => e is NatsJSApiException { Error.Code: 404 };
}
