using System.Globalization;
using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>Reads the value of <c>--expect</c>: <c>any</c>, <c>no-stream</c>, <c>exists</c> or a revision.</summary>
internal static class ExpectedRevisionText
{
    public const string Choices = "any, no-stream, exists or a revision (0 or more)";

    public static bool TryParse(string text, out ExpectedRevision expected)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "any":
                expected = ExpectedRevision.Any;
                return true;
            case "no-stream":
                expected = ExpectedRevision.NoStream;
                return true;
            case "exists":
                expected = ExpectedRevision.StreamExists;
                return true;
            default:
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
                {
                    expected = ExpectedRevision.Exact(revision);
                    return true;
                }

                expected = default;
                return false;
        }
    }
}
