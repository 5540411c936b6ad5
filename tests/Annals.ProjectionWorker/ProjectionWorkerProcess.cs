using System.Diagnostics;
using System.Globalization;
using Annals.Projections;

namespace Annals.ProjectionWorker;

/// <summary>
/// A running worker, for the tests that reference this project: started with <c>dotnet</c> from beside this assembly,
/// its complete lines kept as they arrive, killed with SIGKILL or stopped with a line STOP.
/// </summary>
/// <remarks>
/// A kill is <see cref="Process.Kill()"/>, one SIGKILL at once. The worker starts no process of its own, so killing its
/// whole tree would kill nothing more, and <c>Kill(entireProcessTree: true)</c> looks for children first: here the
/// worker ran on for 15 to 75 ms after that call, long enough to commit the batch the kill was meant to interrupt.
/// </remarks>
public sealed class ProjectionWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<WorkerLine> _lines = [];
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];
    private TaskCompletionSource _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (Func<WorkerLine, bool> Match, TaskCompletionSource Killed)? _killAt;

    private ProjectionWorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the test calls this worker in its messages.</summary>
    public string Name { get; }

    /// <summary>The complete lines printed so far, in order.</summary>
    public IReadOnlyList<WorkerLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts a worker on a SQLite file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="appendEvery">How often the worker appends a few events itself; never when <see langword="null"/>.</param>
    /// <returns>The worker.</returns>
    public static ProjectionWorkerProcess StartSqlite(string path, string projection, TimeSpan? appendEvery = null)
    {
        List<string> arguments = ["sqlite", path, projection];
        if (appendEvery is { } every)
        {
            arguments.Add(Milliseconds(every));
        }

        return Start($"worker on {Path.GetFileName(path)}", arguments);
    }

    /// <summary>Starts a worker on a PostgreSQL schema, sharing its projection through the store's leases.</summary>
    /// <param name="connectionString">The server.</param>
    /// <param name="schema">The store's schema.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="owner">Its name as a lease owner.</param>
    /// <param name="leaseDuration">How long its lease lives unless renewed.</param>
    /// <returns>The worker.</returns>
    public static ProjectionWorkerProcess StartPostgres(string connectionString, string schema, string projection, string owner, TimeSpan leaseDuration) =>
        Start($"worker '{owner}'", ["postgres", connectionString, schema, projection, owner, Milliseconds(leaseDuration)]);

    /// <summary>Waits for a line that matches.</summary>
    /// <param name="match">Which line.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>The first matching line.</returns>
    /// <exception cref="TimeoutException">None came in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited first.</exception>
    public async Task<WorkerLine> WaitForAsync(Func<WorkerLine, bool> match, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Task printed;
            lock (_lock)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                printed = _printed.Task;
            }

            if (_process.HasExited)
            {
                // Its last lines may still be on their way.
                await _process.WaitForExitAsync().ConfigureAwait(false);
                if (Lines.FirstOrDefault(match) is { } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"The {Name} exited ({_process.ExitCode}) before printing the line awaited. {Describe()}");
            }

            var left = patience - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The {Name} did not print the line awaited within {patience}. {Describe()}");
            }

            await Task.WhenAny(printed, Task.Delay(left)).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the worker with SIGKILL (no finally block, dispose or lease release runs in it) and waits until it is gone.</summary>
    /// <returns>A task that completes when the worker has exited.</returns>
    /// <exception cref="InvalidOperationException">The worker had exited on its own.</exception>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The {Name} exited ({_process.ExitCode}) on its own before the kill. {Describe()}");
        }

        _process.Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the worker's first batch, then for <paramref name="delay"/>, then kills it with SIGKILL at the next
    /// batch it hands over (see <see cref="KillAtAsync"/>), and waits until it is gone: one round of the crash tests,
    /// aimed at the moment between a handled batch and its commit.
    /// </summary>
    /// <param name="delay">
    /// How long to let it work first. It counts from the first batch so that it is spent working, not starting up or
    /// waiting for a dead worker's lease to lapse.
    /// </param>
    /// <param name="patience">How long to wait for each of the two batches.</param>
    /// <returns>The last batch the worker printed and the last state it reported, if any.</returns>
    /// <exception cref="TimeoutException">A batch did not come in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited on its own first.</exception>
    public async Task<(WorkerLine LastBatch, ProjectionState? State)> KillAtABatchAfterAsync(TimeSpan delay, TimeSpan patience)
    {
        await WaitForAsync(l => l.IsBatch, patience).ConfigureAwait(false);
        await Task.Delay(delay).ConfigureAwait(false);
        await KillAtAsync(l => l.IsBatch, patience).ConfigureAwait(false);

        // The last batch printed rather than the one killed at: lines it wrote just before dying may arrive after it.
        var lines = Lines;
        return (lines.Last(l => l.IsBatch), lines.LastOrDefault(l => l.IsStatus)?.State);
    }

    /// <summary>Asks the worker to stop its host and exit, and waits until it has.</summary>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task that completes when the worker has exited.</returns>
    /// <exception cref="TimeoutException">It did not exit in time.</exception>
    /// <exception cref="InvalidOperationException">It exited with an error.</exception>
    public async Task StopAsync(TimeSpan patience)
    {
        await _process.StandardInput.WriteLineAsync("STOP").ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The {Name} did not stop within {patience}. {Describe()}");
        }

        if (_process.ExitCode != 0 || Lines is not [.., { Kind: "STOPPED" }])
        {
            throw new InvalidOperationException($"The {Name} did not stop cleanly (exit code {_process.ExitCode}). {Describe()}");
        }
    }

    /// <summary>The worker's last lines and its standard error, for a failure's message.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        lock (_lock)
        {
            var errors = _errors.Count == 0 ? "nothing" : string.Join(Environment.NewLine, _errors.TakeLast(20));
            return $"Its last lines: {string.Join(" | ", _output.TakeLast(30))}. Its standard error: {errors}";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started, or is gone already.
        }

        _process.Dispose();
    }

    private static ProjectionWorkerProcess Start(string name, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ProjectionWorkerProcess).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var worker = new ProjectionWorkerProcess(new Process { StartInfo = start }, name);
        worker._process.OutputDataReceived += (_, e) => worker.Received(e.Data, error: false);
        worker._process.ErrorDataReceived += (_, e) => worker.Received(e.Data, error: true);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    private static string Milliseconds(TimeSpan duration) => ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Kills the worker with SIGKILL as soon as it prints a matching line after this call, from the thread that reads
    /// its output (so the kill follows the line as closely as this process can), and waits until it is gone.
    /// </summary>
    private async Task KillAtAsync(Func<WorkerLine, bool> match, TimeSpan patience)
    {
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _killAt = (match, killed);
        }

        var first = await Task.WhenAny(killed.Task, _process.WaitForExitAsync(), Task.Delay(patience)).ConfigureAwait(false);
        if (first != killed.Task)
        {
            lock (_lock)
            {
                _killAt = null;
            }

            if (!killed.Task.IsCompleted)
            {
                throw _process.HasExited
                    ? new InvalidOperationException($"The {Name} exited ({_process.ExitCode}) on its own before the kill. {Describe()}")
                    : new TimeoutException($"The {Name} did not print the line to be killed at within {patience}. {Describe()}");
            }
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    private void Received(string? text, bool error)
    {
        lock (_lock)
        {
            if (text is not null)
            {
                (error ? _errors : _output).Add(text);
                if (!error && WorkerLine.Parse(text) is { } parsed)
                {
                    var line = parsed with { ReceivedAt = Stopwatch.GetTimestamp() };
                    _lines.Add(line);
                    if (_killAt is { } killAt && killAt.Match(line))
                    {
                        _killAt = null;
                        _process.Kill();
                        killAt.Killed.TrySetResult();
                    }
                }
            }

            // The end of the output wakes waiters too, so they see the exit at once.
            _printed.TrySetResult();
            _printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
