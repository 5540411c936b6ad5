using System.Diagnostics;
using System.Globalization;

namespace Annals.TestWorker;

/// <summary>
/// A running Annals.TestWorker, for the cross-process tests: started with <c>dotnet</c> from beside this assembly with a
/// subcommand, its output kept line by line as it arrives, told things on its input, killed with SIGKILL, and always
/// killed and reaped when disposed.
/// </summary>
/// <remarks>
/// A kill is <see cref="Process.Kill()"/>, one SIGKILL at once. The worker starts no process of its own, so killing its
/// whole tree would kill nothing more, and <c>Kill(entireProcessTree: true)</c> looks for children first: a projection
/// worker ran on for 15 to 75 ms after that call, long enough to commit the batch the kill was meant to interrupt.
/// </remarks>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<WorkerProcessLine> _lines = [];
    private readonly List<string> _errors = [];
    private TaskCompletionSource _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (Func<string, bool> Match, TaskCompletionSource Killed)? _killAt;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the test calls this worker in its messages.</summary>
    public string Name { get; }

    /// <summary>The operating system's id of the worker.</summary>
    public int Id => _process.Id;

    /// <summary>The lines printed on standard output so far, in order, each with when it arrived.</summary>
    public IReadOnlyList<WorkerProcessLine> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts a worker.</summary>
    /// <param name="name">What the test calls it in its messages.</param>
    /// <param name="command">The subcommand (see the worker's Program.cs).</param>
    /// <param name="arguments">The subcommand's arguments.</param>
    /// <param name="environment">Variables to set in the worker's environment.</param>
    /// <returns>The worker.</returns>
    public static WorkerProcess Start(string name, string command, IEnumerable<object> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        start.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument switch
            {
                TimeSpan duration => ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
                _ => argument.ToString() ?? string.Empty,
            });
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = start }, name);
        worker._process.OutputDataReceived += (_, e) => worker.Received(e.Data, error: false);
        worker._process.ErrorDataReceived += (_, e) => worker.Received(e.Data, error: true);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for a line that matches, among those printed so far and to come.</summary>
    /// <param name="match">Which line.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>The first matching line.</returns>
    /// <exception cref="TimeoutException">None came in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited first.</exception>
    public async Task<WorkerProcessLine> WaitForAsync(Func<string, bool> match, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Task printed;
            lock (_lock)
            {
                if (_lines.FirstOrDefault(l => match(l.Text)) is { } line)
                {
                    return line;
                }

                printed = _printed.Task;
            }

            if (_process.HasExited)
            {
                // Its last lines may still be on their way.
                await _process.WaitForExitAsync().ConfigureAwait(false);
                if (Lines.FirstOrDefault(l => match(l.Text)) is { } last)
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

            // Woken by the next line, or by the end of the output; the bound is the test's patience.
            try
            {
                await printed.WaitAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Looked at once more above, then reported.
            }
        }
    }

    /// <summary>Waits until the worker says "READY .".</summary>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task that completes when it has.</returns>
    /// <exception cref="TimeoutException">It did not in time.</exception>
    /// <exception cref="InvalidOperationException">It exited first.</exception>
    public Task WaitUntilReadyAsync(TimeSpan patience) => WaitForAsync(l => l == "READY .", patience);

    /// <summary>Writes a line to the worker's input.</summary>
    /// <param name="line">The line.</param>
    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until the worker exits on its own.</summary>
    /// <param name="patience">How long to wait.</param>
    /// <returns>Its exit code.</returns>
    /// <exception cref="TimeoutException">It did not exit in time.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The {Name} did not exit within {patience}. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Waits for a worker that ends on its own (one that says "DONE ." at the end) to exit, and checks that it finished:
    /// exit code 0 and "DONE ." last.
    /// </summary>
    /// <param name="patience">How long to wait.</param>
    /// <returns>Every line it printed, in order.</returns>
    /// <exception cref="TimeoutException">It did not exit in time.</exception>
    /// <exception cref="InvalidOperationException">It failed, or did not say it was done.</exception>
    public async Task<IReadOnlyList<string>> FinishAsync(TimeSpan patience)
    {
        var exitCode = await WaitForExitAsync(patience).ConfigureAwait(false);
        var lines = Lines.Select(l => l.Text).ToList();
        if (exitCode != 0 || lines is not [.., "DONE ."])
        {
            throw new InvalidOperationException($"The {Name} did not finish (exit code {exitCode}). {Describe()}");
        }

        return lines;
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
    /// Kills the worker with SIGKILL as soon as it prints a matching line after this call, from the thread that reads
    /// its output (so the kill follows the line as closely as this process can), and waits until it is gone.
    /// </summary>
    /// <param name="match">Which line.</param>
    /// <param name="patience">How long to wait for it.</param>
    /// <returns>A task that completes when the worker has exited.</returns>
    /// <exception cref="TimeoutException">No such line came in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited on its own first.</exception>
    public async Task KillAtAsync(Func<string, bool> match, TimeSpan patience)
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

    /// <summary>The worker's last lines and its standard error, for a failure's message.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        lock (_lock)
        {
            var errors = _errors.Count == 0 ? "nothing" : string.Join(Environment.NewLine, _errors.TakeLast(20));
            return $"Its last lines: {string.Join(" | ", _lines.TakeLast(30).Select(l => l.Text))}. Its standard error: {errors}";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started, or is gone already.
        }

        _process.Dispose();
    }

    private void Received(string? text, bool error)
    {
        lock (_lock)
        {
            if (text is not null)
            {
                if (error)
                {
                    _errors.Add(text);
                }
                else
                {
                    _lines.Add(new WorkerProcessLine(text, Stopwatch.GetTimestamp()));
                    if (_killAt is { } killAt && killAt.Match(text))
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
