using System.Text.Json;

namespace Annals.Cli.Demo;

/// <summary>The events of the demo's bank, with their JSON data.</summary>
internal static class AccountEvents
{
    public const string Currency = "EUR";

    public static EventData Opened(string owner) => Event("Opened", new { owner, currency = Currency });

    public static EventData Deposited(long amount, string reference) => Event("Deposited", new { amount, reference });

    public static EventData Withdrawn(long amount, string reference) => Event("Withdrawn", new { amount, reference });

    public static EventData TransferredOut(long amount, string transfer, StreamName to) =>
        Event("Withdrawn", new { amount, reference = $"transfer {transfer}", to = to.Value });

    public static EventData TransferredIn(long amount, string transfer, StreamName from) =>
        Event("Deposited", new { amount, reference = $"transfer {transfer}", from = from.Value });

    public static EventData TransferCompleted(StreamName from, StreamName to, long amount) =>
        Event("TransferCompleted", new { from = from.Value, to = to.Value, amount });

    public static EventData TransferDeclined(StreamName from, StreamName to, long amount, string reason) =>
        Event("TransferDeclined", new { from = from.Value, to = to.Value, amount, reason });

    /// <summary>Folds one event of an account into its balance: deposits add, withdrawals subtract.</summary>
    public static long Apply(long balance, RecordedEvent e) => e.Type switch
    {
        "Deposited" => balance + Amount(e),
        "Withdrawn" => balance - Amount(e),
        _ => balance,
    };

    private static long Amount(RecordedEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        return document.RootElement.GetProperty("amount").GetInt64();
    }

    private static EventData Event<T>(string type, T data) =>
        new(Guid.NewGuid(), type, JsonSerializer.SerializeToUtf8Bytes(data));
}
