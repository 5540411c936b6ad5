using System.Text.Json;

namespace Annals.Bench.Reporting;

/// <summary>Results go to stdout as one JSON line; progress goes to stderr.</summary>
internal static class Report
{
    public static void Write(BenchResult result) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(result, BenchJsonContext.Default.BenchResult));

    public static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
