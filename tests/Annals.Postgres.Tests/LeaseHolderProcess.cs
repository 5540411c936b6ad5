using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// A separate OS process (Annals.Postgres.LeaseHolder) that acquires a lease and renews it until
/// killed, with the tenures it printed.
/// </summary>
internal sealed class LeaseHolderProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private TaskCompletionSource _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LeaseHolderProcess(Process process)
    {
        _process = process;
    }

    public static LeaseHolderProcess Start(string schema, string name, string owner, TimeSpan duration)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Annals.Postgres.LeaseHolder.dll"));
        start.ArgumentList.Add(schema);
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(owner);
        start.ArgumentList.Add(((int)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.Environment["ANNALS_POSTGRES"] = PostgresFixture.ConnectionString;

        var holder = new LeaseHolderProcess(new Process { StartInfo = start });
        holder._process.OutputDataReceived += (_, e) => holder.Add(e.Data, holder._lines);
        holder._process.ErrorDataReceived += (_, e) => holder.Add(e.Data, holder._errors);
        holder._process.Start();
        holder._process.BeginOutputReadLine();
        holder._process.BeginErrorReadLine();
        return holder;
    }

    /// <summary>Waits for the first tenure the holder printed: the token and the expiry (UTC ticks) of its acquisition.</summary>
    public async Task<(long Token, DateTimeOffset ExpiresAt)> WaitForAcquisitionAsync(TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Task printed;
            lock (_lock)
            {
                var line = _lines.FirstOrDefault(l => l.EndsWith(" .", StringComparison.Ordinal));
                if (line is not null)
                {
                    var parts = line.Split(' ');
                    Assert.True(parts[0] == "ACQUIRED", $"The holder did not acquire the lease: {line}");
                    return (long.Parse(parts[1], CultureInfo.InvariantCulture), new DateTimeOffset(long.Parse(parts[2], CultureInfo.InvariantCulture), TimeSpan.Zero));
                }

                printed = _printed.Task;
            }

            var left = patience - waited.Elapsed;
            Assert.True(left > TimeSpan.Zero && !_process.HasExited, $"The holder printed no tenure within {patience} (exited: {_process.HasExited}): {Errors()}");
            await Task.WhenAny(printed, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
        }
    }

    /// <summary>Kills the holder with SIGKILL (no finally block, release or dispose runs in it) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        Assert.False(_process.HasExited, $"The holder exited on its own: {Output()} {Errors()}");
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public string Output()
    {
        lock (_lock)
        {
            return string.Join(" | ", _lines);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private string Errors()
    {
        lock (_lock)
        {
            return string.Join(Environment.NewLine, _errors);
        }
    }

    private void Add(string? line, List<string> into)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            into.Add(line);
            _printed.TrySetResult();
            _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
