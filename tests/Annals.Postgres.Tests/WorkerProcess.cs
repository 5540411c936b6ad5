using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// An Annals.Postgres.Worker process: it opens the store, says READY, appends on GO and prints
/// every acknowledged commit. It is started with <c>dotnet</c> from the test's output folder.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static WorkerProcess Start(string schema, int writers, int commitsPerWriter, int streams)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Annals.Postgres.Worker.dll"));
        start.ArgumentList.Add(PostgresFixture.ConnectionString);
        start.ArgumentList.Add(schema);
        start.ArgumentList.Add(writers.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(commitsPerWriter.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(streams.ToString(CultureInfo.InvariantCulture));

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
    public async Task<List<AcknowledgedCommit>> FinishAsync(TimeSpan patience)
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
            return [.. _lines.Select(AcknowledgedCommit.Parse).OfType<AcknowledgedCommit>()];
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
