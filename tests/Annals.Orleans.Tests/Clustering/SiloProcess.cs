using System.Diagnostics;
using System.Globalization;
using Annals.Orleans.TestSilo;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>
/// A test silo running in a process of its own (Annals.Orleans.TestSilo, started with <c>dotnet</c> from beside this
/// assembly): its output kept line by line, asked things on its input, killed with SIGKILL, and always killed when disposed.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private TaskCompletionSource _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _questions;

    private SiloProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the test calls this silo in its messages.</summary>
    public string Name { get; }

    /// <summary>The lines of its log (standard error) so far.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public static SiloProcess Start(string name, SiloArguments arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(SiloArguments).Assembly.Location);
        foreach (var argument in arguments.ToArguments())
        {
            start.ArgumentList.Add(argument);
        }

        var silo = new SiloProcess(new Process { StartInfo = start }, name);
        silo._process.OutputDataReceived += (_, e) => silo.Received(e.Data, error: false);
        silo._process.ErrorDataReceived += (_, e) => silo.Received(e.Data, error: true);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo has joined the cluster.</summary>
    public Task WaitUntilReadyAsync(TimeSpan patience) => WaitForAsync(l => l == "READY .", patience);

    /// <summary>Asks the silo how many entities its engine holds.</summary>
    public async Task<int> LiveEntitiesAsync(TimeSpan patience)
    {
        var question = $"LIVE {Interlocked.Increment(ref _questions)}";
        _process.StandardInput.WriteLine(question);
        _process.StandardInput.Flush();
        var answer = await WaitForAsync(l => l.StartsWith(question + " ", StringComparison.Ordinal), patience);
        return int.Parse(answer.Split(' ')[2], CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the silo with SIGKILL (it leaves the cluster without a word) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The {Name} exited ({_process.ExitCode}) on its own before the kill. {Describe()}");
        }

        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Its last lines and log, for a failure's message.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            return $"Its last lines: {string.Join(" | ", _lines.TakeLast(10))}. Its log: {string.Join(Environment.NewLine, _errors.TakeLast(30))}";
        }
    }

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
            // Never started, or gone already.
        }

        _process.Dispose();
    }

    private async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan patience)
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
                await _process.WaitForExitAsync();
                lock (_lock)
                {
                    if (_lines.FirstOrDefault(match) is { } last)
                    {
                        return last;
                    }
                }

                throw new InvalidOperationException($"The {Name} exited ({_process.ExitCode}) before printing the line awaited. {Describe()}");
            }

            var left = patience - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The {Name} did not print the line awaited within {patience}. {Describe()}");
            }

            // Woken by the next line or the end of the output; looked at once more before a timeout is reported.
            await Task.WhenAny(printed, Task.Delay(left));
        }
    }

    private void Received(string? text, bool error)
    {
        lock (_lock)
        {
            if (text is not null)
            {
                (error ? _errors : _lines).Add(text);
            }

            _printed.TrySetResult();
            _printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
