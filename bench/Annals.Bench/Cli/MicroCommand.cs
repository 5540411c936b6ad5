using System.CommandLine;
using Annals.Bench.Micro;

namespace Annals.Bench.Cli;

/// <summary><c>micro</c>: hands every other argument to BenchmarkDotNet's own command line.</summary>
internal static class MicroCommand
{
    public static Command Build()
    {
        var command = new Command("micro", "BenchmarkDotNet micro benchmarks of hot paths, with MemoryDiagnoser. Every further argument goes to BenchmarkDotNet, e.g. --filter '*Filter*' --job short.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse => MicroRunner.Run([.. parse.UnmatchedTokens]));
        return command;
    }
}
