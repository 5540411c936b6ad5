using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Hosting.Tests;

[EventType("hosting-gift-promised")]
public sealed record GiftPromised(string Account, decimal Amount);

/// <summary>A process that turns a promised gift into a deposit to the account's entity, then ends.</summary>
public sealed class GiftProcess : IProcess<int>
{
    public EventFilter Filter { get; } = EventFilter.Parse("gift.*.hosting-gift-promised");

    public int InitialState => 0;

    public ProcessRoute Route(object @event) => @event is GiftPromised gift ? ProcessRoute.Start(gift.Account) : ProcessRoute.Ignore;

    public ProcessStep<int> Handle(int state, object message, ProcessContext context) => message switch
    {
        GiftPromised gift => ProcessStep.With(state + 1).Send(StreamName.For("account", gift.Account), new Deposit(gift.Amount)).End(),
        _ => ProcessStep.With(state),
    };
}
