using System.Text.Json;

namespace Annals.Cli.Infrastructure;

/// <summary>Checks that text given as event data is one JSON value.</summary>
internal static class JsonText
{
    public static void Validate(string text, string optionName)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{optionName} is not valid JSON: {e.Message}", e);
        }
    }
}
