using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// A worker process: it opens the store, says READY, works on GO, prints a line ending in " ." for
/// each result, and DONE at the end. Annals.Postgres.Worker appends and prints every
/// acknowledged commit; another program that keeps to the same lines may stand in its place. It is
/// started with <c>dotnet</c> from the test's output folder.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Starts an Annals.Postgres.Worker appending to a schema.</summary>
    public static WorkerProcess Start(string schema, int writers, int commitsPerWriter, int streams) =>
        Start("Annals.Postgres.Worker", schema, writers, commitsPerWriter, streams);

    /// <summary>Starts a worker program on a schema: its arguments are the connection string, the schema and the counts.</summary>
    public static WorkerProcess Start(string program, string schema, params int[] counts)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program + ".dll"));
        start.ArgumentList.Add(PostgresFixture.ConnectionString);
        start.ArgumentList.Add(schema);
        foreach (var count in counts)
        {
            start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        }

        var worker = new WorkerProcess(new Process { StartInfo = start });
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (worker._lines)
            {
                worker._lines.Add(e.Data);
            }

            if (e.Data == "READY .")
            {
                worker._ready.TrySetResult();
            }
        };
        worker._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (worker._errors)
                {
                    worker._errors.Add(e.Data);
                }
            }
        };
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits until the worker has opened the store.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan patience)
    {
        await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(patience));
        Assert.True(_ready.Task.IsCompleted, $"Worker {Id} did not get ready within {patience}: {Errors()}");
    }

    public void Go()
    {
        _process.StandardInput.WriteLine("GO");
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for the worker to finish its commits and exit, then returns every commit it reported as acknowledged.</summary>
    public Task<List<AcknowledgedCommit>> FinishAsync(TimeSpan patience) => FinishAsync(patience, AcknowledgedCommit.Parse);

    /// <summary>Waits for the worker to finish and exit, then returns what it reported: its lines that <paramref name="parse"/> reads, in order.</summary>
    public async Task<List<T>> FinishAsync<T>(TimeSpan patience, Func<string, T?> parse)
        where T : class
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Worker {Id} did not finish within {patience}: {Errors()}");
        }

        Assert.True(_process.ExitCode == 0, $"Worker {Id} exited with {_process.ExitCode}: {Errors()}");
        lock (_lines)
        {
            Assert.Equal("DONE .", _lines[^1]);
            return [.. _lines.Select(parse).OfType<T>()];
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.Count == 0 ? "nothing on stderr" : string.Join(Environment.NewLine, _errors);
        }
    }
}
