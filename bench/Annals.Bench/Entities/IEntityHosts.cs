using Annals.Entities;

namespace Annals.Bench.Entities;

/// <summary>Where the <c>entity</c> workload's entities live: the senders of each engine or silo, which the workload's senders take in turn.</summary>
internal interface IEntityHosts : IAsyncDisposable
{
    /// <summary>How the result line names them: <c>engine</c>, <c>engines:N</c> or <c>orleans:N</c>.</summary>
    string Name { get; }

    IReadOnlyList<ICommandSender> Senders { get; }
}
