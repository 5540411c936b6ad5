using System.CommandLine;
using System.Text.Json;
using Annals.Bench.Comparing;
using Annals.Bench.Reporting;

namespace Annals.Bench.Cli;

/// <summary><c>compare</c>: a workload against its baseline in turns; every further argument is the two commands, split by <c>vs</c>.</summary>
internal static class CompareCommand
{
    private const string Separator = "vs";

    public static Command Build()
    {
        var rounds = new Option<int>("--rounds")
        {
            Description = "Pairs of runs; the ratio is taken within each pair and the median reported.",
            DefaultValueFactory = _ => 5,
        };
        rounds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--rounds must be at least 1.");
            }
        });
        var baselineProgram = new Option<FileInfo?>("--baseline-program")
        {
            Description = "Runs the baseline with another build of this program (its Annals.Bench.dll), e.g. one built from the commit before a change, to measure what the change costs.",
        };
        baselineProgram.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { Exists: false } missing)
            {
                result.AddError($"--baseline-program '{missing.FullName}' does not exist.");
            }
        });
        var command = new Command(
            "compare",
            "Runs a baseline and a workload in turns, each as its own process, and reports the workload's events per second as a ratio to the baseline's of the same round, e.g. compare --rounds 5 raw-read --store postgres --postgres <cs> vs catch-up --store postgres --postgres <cs>. Prints every run's line, then one line of ratios.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(rounds);
        command.Options.Add(baselineProgram);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tokens = parse.UnmatchedTokens;
            var split = tokens.ToList().IndexOf(Separator);
            if (split <= 0 || split == tokens.Count - 1 || tokens.Skip(split + 1).Contains(Separator))
            {
                Console.Error.WriteLine($"compare needs two commands split by one '{Separator}': a baseline, then the workload measured against it.");
                return 2;
            }

            var baseline = tokens.Take(split).ToArray();
            var measured = tokens.Skip(split + 1).ToArray();
            var result = await Comparison.RunAsync(baseline, measured, parse.GetValue(rounds), parse.GetValue(baselineProgram)?.FullName, cancellationToken);
            Console.Out.WriteLine(JsonSerializer.Serialize(result, BenchJsonContext.Default.CompareResult));
            return 0;
        });
        return command;
    }
}
