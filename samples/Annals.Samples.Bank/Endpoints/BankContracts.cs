namespace Annals.Samples.Bank.Endpoints;

public sealed record OpenAccountRequest(string? Id, string? Owner);

public sealed record AmountRequest(long Amount);

public sealed record TransferRequest(string? From, string? To, long Amount, string? TransferId);

/// <summary>An account after a command. <c>Position</c> is a log position at or after the command's events: read the balances with <c>?atLeast=</c> it to see them.</summary>
public sealed record AccountResponse(string Account, string? Owner, long Balance, long? Revision, long Position);

/// <summary>
/// A transfer's outcome. <c>Settled</c>: whether the credit was appended before the answer (200); otherwise it follows (202).
/// <c>Position</c>: a log position at or after the debit (and, when settled, the credit).
/// </summary>
public sealed record TransferResponse(string Transfer, string From, string To, long Amount, bool Settled, long Position);
