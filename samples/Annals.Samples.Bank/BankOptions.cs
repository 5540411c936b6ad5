namespace Annals.Samples.Bank;

/// <summary>The bank's own settings, from the configuration section "Bank".</summary>
public sealed class BankOptions
{
    public const string Section = "Bank";

    /// <summary>How long a request waits for an account entity's reply before it answers 503.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a transfer waits for its credit before it answers 202 Accepted instead of 200.</summary>
    public TimeSpan SettlementWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the transfer process waits for a transfer's credit before it refunds the sender.</summary>
    public TimeSpan RefundAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a read with <c>atLeast</c> waits for the balances to reach that position before it answers 503.</summary>
    public TimeSpan ReadWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a transfer is decided when concurrent commits on its accounts keep winning the race.</summary>
    public int TransferAttempts { get; set; } = 50;
}
