using System.Collections.Concurrent;
using System.Text.Json;
using Annals.Orleans.LogConsistency;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>
/// Log view adaptors made by the provider outside a silo, each standing for one activation of a ledger grain, so that
/// a test can run two activations of one grain side by side, as a silo does only in rare failures.
/// </summary>
internal static class AdaptorHarness
{
    public static TypeRegistry Registry() => new TypeRegistry()
        .Register<Deposited>("Deposited")
        .Register<Withdrawn>("Withdrawn")
        .Register<LedgerState>("LedgerState");

    public static AnnalsLogViewAdaptor<LedgerState, LedgerEvent> Make(IEventStore store, TypeRegistry registry, string key, int snapshotEvery = 0, LedgerHost? host = null)
    {
        var services = new ServiceCollection().AddSingleton(store).AddSingleton(registry).BuildServiceProvider();
        var provider = new AnnalsLogConsistencyProvider(services, new AnnalsLogConsistencyOptions { SnapshotEvery = snapshotEvery });
        return (AnnalsLogViewAdaptor<LedgerState, LedgerEvent>)provider.MakeLogViewAdaptor(
            host ?? new LedgerHost(), new LedgerState(), typeof(LedgerHost).FullName!, null, new TestProtocolServices(GrainId.Create("ledger", key)));
    }

    /// <summary>Runs the adaptor's part of a journaled grain's activation, which ends by reading the stream.</summary>
    public static async Task<AnnalsLogViewAdaptor<LedgerState, LedgerEvent>> ActivatedAsync(this AnnalsLogViewAdaptor<LedgerState, LedgerEvent> adaptor)
    {
        await adaptor.PreOnActivate();
        await adaptor.PostOnActivate();
        await adaptor.Synchronize();
        return adaptor;
    }

    /// <summary>Raises one event and waits until it is stored, as a grain's RaiseEvent and ConfirmEvents do.</summary>
    public static async Task RaiseAndConfirmAsync(this AnnalsLogViewAdaptor<LedgerState, LedgerEvent> adaptor, LedgerEvent @event)
    {
        adaptor.Submit(@event);
        await adaptor.ConfirmSubmittedEntries();
    }
}

/// <summary>The grain side of an adaptor: the ledger's transition, and the issues it is told of.</summary>
internal sealed class LedgerHost : ILogViewAdaptorHost<LedgerState, LedgerEvent>
{
    public ConcurrentQueue<ConnectionIssue> Issues { get; } = new();

    public void UpdateView(LedgerState view, LedgerEvent entry)
    {
        view.Balance += entry switch
        {
            Deposited d => d.Amount,
            Withdrawn w => -w.Amount,
            _ => 0,
        };
        view.Entries++;
    }

    public void OnViewChanged(bool tentative, bool confirmed)
    {
    }

    public void OnConnectionIssue(ConnectionIssue connectionIssue) => Issues.Enqueue(connectionIssue);

    public void OnConnectionIssueResolved(ConnectionIssue connectionIssue)
    {
    }
}

/// <summary>Protocol services without a silo: copies through JSON, and protocol errors thrown as the silo's are.</summary>
internal sealed class TestProtocolServices(GrainId grainId) : ILogConsistencyProtocolServices
{
    public GrainId GrainId => grainId;

    public string MyClusterId => "test";

    public T DeepCopy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    public void ProtocolError(string msg, bool throwexception)
    {
        if (throwexception)
        {
            throw new OrleansException(msg);
        }
    }

    public void CaughtException(string where, Exception e)
    {
    }

    public void CaughtUserCodeException(string callback, string where, Exception e)
    {
    }

    public void Log(LogLevel level, string format, params object[] args)
    {
    }
}
