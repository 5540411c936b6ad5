namespace Annals.Nats;

/// <summary>Where the NATS server keeps a store's messages.</summary>
public enum NatsStoreStorage
{
    /// <summary>On disk: the store survives a restart of the server.</summary>
    File,

    /// <summary>In the server's memory: fast, and lost when the server stops.</summary>
    Memory,
}
