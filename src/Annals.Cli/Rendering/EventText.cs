using System.Globalization;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Rendering;

/// <summary>How events are written as text: timestamps, metadata, and the one-line form <c>tail</c> prints.</summary>
internal static class EventText
{
    /// <summary>A count, revision or position as the commands print it: invariant digits, no grouping.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Metadata as <c>key=value</c> pairs in stored order: <c>correlation-id=t-1, causation-id=t-1</c>.</summary>
    public static string Metadata(IReadOnlyDictionary<string, string> metadata) =>
        string.Join(", ", metadata.Select(pair => $"{pair.Key}={pair.Value}"));

    /// <summary>One line per event: <c>#12 account.alice@3 Deposited 2025-01-01T00:00:00.000Z {"amount":5}</c>, as markup; with metadata, it follows in brackets.</summary>
    public static string LineMarkup(RecordedEvent e, bool showMetadata = false)
    {
        var line = $"[grey]#{e.Position}[/] [bold]{Markup.Escape(e.Stream.Value)}[/]@{e.Revision} [green]{Markup.Escape(e.Type)}[/] [grey]{Timestamp(e.Timestamp)}[/] {Markup.Escape(e.DataAsText())}";
        return showMetadata && e.Metadata.Count > 0 ? $"{line} [grey]{Markup.Escape("[" + Metadata(e.Metadata) + "]")}[/]" : line;
    }
}
