using Annals.Nats;
using Annals.Storage;

namespace Annals.TestWorker;

/// <summary>
/// The store a subcommand works on, named at the start of its arguments: <c>--nats &lt;url&gt; --store &lt;name&gt;</c> for a
/// store on a NATS server, or else by the arguments of the subcommand's own backend (a PostgreSQL schema, a SQLite file).
/// </summary>
/// <param name="OpenAsync">Opens the store.</param>
/// <param name="Rest">The subcommand's arguments after those that name the store.</param>
internal sealed record WorkerStore(Func<Task<IEventStore>> OpenAsync, string[] Rest)
{
    /// <summary>Reads the store's name from the start of a subcommand's arguments.</summary>
    /// <param name="args">The subcommand's arguments, the store first.</param>
    /// <param name="ownArguments">How many arguments name a store of the subcommand's own backend.</param>
    /// <param name="openOwn">Opens a store of the subcommand's own backend from those arguments.</param>
    /// <returns>The store, not opened yet, and the arguments after its name.</returns>
    public static WorkerStore Parse(string[] args, int ownArguments, Func<string[], Task<IEventStore>> openOwn)
    {
        if (args is ["--nats", var url, "--store", var name, .. var rest])
        {
            return new(async () => await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Url = url, Store = name }), rest);
        }

        var own = args[..ownArguments];
        return new(() => openOwn(own), args[ownArguments..]);
    }
}
