using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Annals.Bench.Micro;

/// <summary>Runs the micro benchmarks through BenchmarkSwitcher with the arguments given after <c>micro</c>.</summary>
internal static class MicroRunner
{
    public static int Run(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

        // In process unless runtimes are named: BenchmarkDotNet then generates and builds no project
        // of its own, which would rebuild the repository's projects outside the build lock others rely on.
        if (!args.Any(a => a is "--inProcess" or "--runtimes" or "-r"))
        {
            args = [.. args, "--inProcess"];
        }

        // Without a filter BenchmarkSwitcher asks on the console which benchmarks to run.
        if (!args.Any(a => a is "--filter" or "-f" or "--list" or "--info" or "--help" or "-h" or "-?" || a.StartsWith("--filter=", StringComparison.Ordinal)))
        {
            args = [.. args, "--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroRunner).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
