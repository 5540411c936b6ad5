using System.Diagnostics;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Controls the test server with <c>pg_ctl</c>, as test.sh set it up: ANNALS_POSTGRES_BIN holds
/// pg_ctl, ANNALS_POSTGRES_DATA the cluster, ANNALS_POSTGRES_OS_USER the user who owns it (pg_ctl
/// runs as that user, through runuser, when the tests run as root).
/// </summary>
public static class PostgresServer
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Restarts the server (fast shutdown: open sessions are ended) and waits until it accepts connections.</summary>
    public static Task RestartAsync() => PgCtlAsync("-m", "fast", "restart", "-w", "-l", LogFile());

    /// <summary>Starts the server again if it is not running (pg_ctl restart reuses the options it was started with).</summary>
    public static async Task EnsureRunningAsync()
    {
        if (await PgCtlExitCodeAsync("status") != 0)
        {
            await RestartAsync();
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    /// <summary>
    /// The restarted server writes its log next to the cluster, where test.sh has it write: without
    /// a log file it would keep this process's output pipes open.
    /// </summary>
    private static string LogFile() => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Required("ANNALS_POSTGRES_DATA")))!, "server.log");

    private static async Task PgCtlAsync(params string[] arguments)
    {
        var (code, output) = await RunPgCtlAsync(arguments);
        Assert.True(code == 0, $"pg_ctl {string.Join(' ', arguments)} failed ({code}): {output}");
    }

    private static async Task<int> PgCtlExitCodeAsync(params string[] arguments) => (await RunPgCtlAsync(arguments)).Code;

    /// <summary>
    /// Runs pg_ctl with every inherited file descriptor above 2 closed first: the server it starts
    /// outlives this process and would otherwise hold them open, for instance the lock file of a
    /// <c>flock ... dotnet test</c> around the run, which would then never be released.
    /// </summary>
    private static async Task<(int Code, string Output)> RunPgCtlAsync(string[] arguments)
    {
        var pgCtl = Path.Combine(Required("ANNALS_POSTGRES_BIN"), "pg_ctl");
        var owner = Required("ANNALS_POSTGRES_OS_USER");
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then exec {fd}>&-; fi; done; exec "$@" """);
        start.ArgumentList.Add("pg_ctl");
        if (Environment.IsPrivilegedProcess && owner != Environment.UserName)
        {
            start.ArgumentList.Add("runuser");
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(owner);
            start.ArgumentList.Add("--");
        }

        start.ArgumentList.Add(pgCtl);
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add(Required("ANNALS_POSTGRES_DATA"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output) + (await errors));
    }
}
