namespace Annals.Cli.Demo;

/// <summary>The bank refuses a command: the application's own rejection, thrown by a decider; nothing is stored.</summary>
internal sealed class AccountRejectedException : Exception
{
    public AccountRejectedException(string account, string reason)
        : base($"Rejected for account.{account}: {reason}.")
    {
        Account = account;
        Reason = reason;
    }

    /// <summary>The account's id.</summary>
    public string Account { get; }

    /// <summary>Why, e.g. <c>insufficient funds: …</c>.</summary>
    public string Reason { get; }
}
