using Annals.Serialization;

namespace Annals.Samples.Bank.Projections;

/// <summary>One account's row of the balances read model, kept as durable state <c>balance.{id}</c>; <c>Position</c> is that of the last event folded in.</summary>
[EventType("AccountBalance")]
public sealed record AccountBalance(string Account, string? Owner, long Balance, long Position, bool Closed = false);
