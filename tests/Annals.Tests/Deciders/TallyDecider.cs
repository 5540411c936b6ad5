using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Tests.Deciders;

internal sealed record Add(int Amount);

internal sealed record Added(int Amount);

internal sealed record Tally(int Sum, int Count);

internal sealed class TallyRejectedException() : Exception("Nothing to add.");

/// <summary>Sums what is added; adding nothing or less is rejected.</summary>
internal sealed class TallyDecider : IDecider<Add, Tally, Added>
{
    public static TallyDecider Instance { get; } = new();

    public static EventFilter All { get; } = EventFilter.ForCategories("tally");

    public Tally InitialState { get; } = new(0, 0);

    public IEnumerable<Added> Decide(Add command, Tally state) =>
        command.Amount > 0 ? [new Added(command.Amount)] : throw new TallyRejectedException();

    public Tally Evolve(Tally state, Added @event) => new(state.Sum + @event.Amount, state.Count + 1);

    public static TypeRegistry Registry() => new TypeRegistry().Register<Added>("added").Register<Tally>("tally");

    public static StreamName Stream(int n) => StreamName.For("tally", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
