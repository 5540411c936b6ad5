using System.Globalization;
using Spectre.Console;

namespace Annals.Cli.Rendering;

/// <summary>How events are written as text: timestamps, and the one-line form <c>tail</c> prints.</summary>
internal static class EventText
{
    public static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One line per event: <c>#12 account.alice@3 Deposited 2025-01-01T00:00:00.000Z {"amount":5}</c>, as markup.</summary>
    public static string LineMarkup(RecordedEvent e) =>
        $"[grey]#{e.Position}[/] [bold]{Markup.Escape(e.Stream.Value)}[/]@{e.Revision} [green]{Markup.Escape(e.Type)}[/] [grey]{Timestamp(e.Timestamp)}[/] {Markup.Escape(e.DataAsText())}";
}
