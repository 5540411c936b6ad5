using Annals.Serialization;

namespace Annals.Bench.Processes;

/// <summary>The prepared events as the process reads them: each of the three types of <see cref="Data.Payloads"/> has the same fields.</summary>
internal abstract record PreparedEvent(string Account, decimal Amount, string Currency, string Reference, string Note);

internal sealed record DepositedEvent(string Account, decimal Amount, string Currency, string Reference, string Note)
    : PreparedEvent(Account, Amount, Currency, Reference, Note);

internal sealed record WithdrawnEvent(string Account, decimal Amount, string Currency, string Reference, string Note)
    : PreparedEvent(Account, Amount, Currency, Reference, Note);

internal sealed record NotedEvent(string Account, decimal Amount, string Currency, string Reference, string Note)
    : PreparedEvent(Account, Amount, Currency, Reference, Note);

/// <summary>An instance's state: what its event said.</summary>
internal sealed record TransferState(string Account, decimal Amount);

/// <summary>The command each step sends, delivered to a handler that counts it.</summary>
internal sealed record Acknowledge(string Reference);

/// <summary>The timeout each step schedules, due far in the future: stored, never fired.</summary>
internal sealed record Expire(string Reference);

internal static class BenchProcessTypes
{
    public static EventCodec Codec() => new(new TypeRegistry()
        .Register<DepositedEvent>("Deposited")
        .Register<WithdrawnEvent>("Withdrawn")
        .Register<NotedEvent>("Noted")
        .Register<TransferState>("bench-transfer")
        .Register<Acknowledge>("bench-acknowledge")
        .Register<Expire>("bench-expire"));
}
