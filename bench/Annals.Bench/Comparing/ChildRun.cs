using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Annals.Bench.Reporting;

namespace Annals.Bench.Comparing;

/// <summary>
/// Runs one workload as its own process of this program, as a single command would run it (a cold
/// start, its own heap), passing its progress through and returning its result line.
/// </summary>
internal static class ChildRun
{
    /// <param name="arguments">The workload's command line.</param>
    /// <param name="program">Another build of this program to run it with, or <see langword="null"/> for this one.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<BenchResult> RunAsync(IReadOnlyList<string> arguments, string? program, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(arguments, program) };
        process.Start();
        string? resultLine = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith('{'))
                {
                    resultLine = line;
                }

                Console.Out.WriteLine(line);
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A stopped comparison leaves no run behind it, still holding the database.
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0 || resultLine is null)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' exited with code {process.ExitCode}{(resultLine is null ? " and printed no result" : string.Empty)}.");
        }

        return JsonSerializer.Deserialize(resultLine, BenchJsonContext.Default.BenchResult)
            ?? throw new InvalidOperationException($"'{string.Join(' ', arguments)}' printed an empty result.");
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments, string? program)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var own = !Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(own && program is not null ? "dotnet" : host) { RedirectStandardOutput = true, UseShellExecute = false };

        // Started as 'dotnet Annals.Bench.dll', the program is the host's first argument.
        if (program is not null || !own)
        {
            info.ArgumentList.Add(program ?? Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
