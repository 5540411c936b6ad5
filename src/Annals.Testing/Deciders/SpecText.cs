using System.Text;
using System.Text.Json;

namespace Annals.Testing.Deciders;

/// <summary>How a specification compares and shows events.</summary>
internal static class SpecText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Two events are the same when they are equal, or of one type with the same JSON (classes without value equality, records holding lists).</summary>
    public static bool Same(object? expected, object? actual) =>
        Equals(expected, actual)
        || (expected is not null && actual is not null && expected.GetType() == actual.GetType() && ToJson(expected) == ToJson(actual));

    public static string? FirstDifference<TEvent>(IReadOnlyList<TEvent> expected, IReadOnlyList<TEvent> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            if (i >= expected.Count || i >= actual.Count || !Same(expected[i], actual[i]))
            {
                return $"expected {expected.Count} event(s) and got {actual.Count}; the first difference is at index {i}";
            }
        }

        return null;
    }

    public static string Describe(object? value) =>
        value is null ? "null" : $"{value.GetType().Name} {ToJson(value)}";

    public static string Report<TCommand, TEvent>(string problem, IReadOnlyList<TEvent> history, TCommand command, IReadOnlyList<TEvent>? expected, IReadOnlyList<TEvent>? actual)
    {
        var text = new StringBuilder();
        text.Append("Decider specification failed: ").Append(problem).AppendLine(".");
        text.AppendLine("Given:");
        if (history.Count == 0)
        {
            text.AppendLine("  (no events)");
        }

        for (var i = 0; i < history.Count; i++)
        {
            text.Append("  [").Append(i).Append("] ").AppendLine(Describe(history[i]));
        }

        text.Append("When:").AppendLine().Append("  ").AppendLine(Describe(command));
        if (expected is not null || actual is not null)
        {
            AppendSideBySide(text, expected ?? [], actual ?? []);
        }

        return text.ToString();
    }

    private static void AppendSideBySide<TEvent>(StringBuilder text, IReadOnlyList<TEvent> expected, IReadOnlyList<TEvent> actual)
    {
        var rows = Math.Max(Math.Max(expected.Count, actual.Count), 1);
        var left = new string[rows];
        var right = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            left[i] = i < expected.Count ? Describe(expected[i]) : i == 0 && expected.Count == 0 ? "(no events)" : "-";
            right[i] = i < actual.Count ? Describe(actual[i]) : i == 0 && actual.Count == 0 ? "(no events)" : "-";
        }

        // The whole expected text is kept (a cut could hide the very difference); the column is as wide as its longest cell.
        var width = Math.Max("expected".Length, left.Max(cell => cell.Length));
        text.AppendLine("Then:");
        text.Append("      ").Append("expected".PadRight(width)).Append(" | ").AppendLine("actual");
        for (var i = 0; i < rows; i++)
        {
            var same = i < expected.Count && i < actual.Count && Same(expected[i], actual[i]);
            text.Append(same ? "    " : "  ≠ ").Append(i).Append(' ').Append(left[i].PadRight(width)).Append(" | ").AppendLine(right[i]);
        }
    }

    private static string ToJson(object value) => JsonSerializer.Serialize(value, value.GetType(), Json);
}
