using Annals.Storage;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Annals.Nats;

/// <summary>How to open an Annals store on NATS JetStream.</summary>
public sealed class NatsEventStoreOptions
{
    /// <summary>The server's URL, such as <c>nats://127.0.0.1:4222</c>; not used when <see cref="Connection"/> is set.</summary>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>A connection the application owns and keeps; the store uses it and leaves it open when disposed.</summary>
    public INatsConnection? Connection { get; set; }

    /// <summary>
    /// The store's name, <c>[a-z][a-z0-9_]{0,62}</c>: the subjects of its events start with it, and its JetStream stream
    /// and key-value buckets are named after it (<c>annals_&lt;store&gt;</c>, <c>annals_&lt;store&gt;_states</c>, …).
    /// </summary>
    public string Store { get; set; } = "annals";

    /// <summary>Whether to create the store's stream and buckets when they are missing; otherwise opening a missing store fails with <see cref="StoreNotFoundException"/>.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Where the server keeps the store: on disk (the default) or in memory, lost when the server stops.</summary>
    public NatsStoreStorage Storage { get; set; } = NatsStoreStorage.File;

    /// <summary>
    /// How many servers of a cluster hold each message. One replica checks a stream's expected last sequence soundly on
    /// every server version; replicated streams race on it before server 2.9.21.
    /// </summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// How long the server remembers a commit's message id to drop a repeated publish of it. Beyond it, a repeated
    /// commit is still found by its event ids.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The largest event the store accepts, data plus metadata; never more than the server's largest message allows.</summary>
    public int MaxEventBytes { get; set; } = EventStoreLimits.DefaultMaxEventBytes;

    /// <summary>How often a subscription looks for new events when no commit of this process woke it: commits of other processes arrive through a NATS subject, and this is the fallback.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an event id reserved by a commit that never finished keeps others from using the id.</summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of every timestamp the store writes.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the store logs; none when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal NatsEventStoreOptions Clone() => (NatsEventStoreOptions)MemberwiseClone();
}
