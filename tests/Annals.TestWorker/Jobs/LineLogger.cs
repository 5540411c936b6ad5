using Microsoft.Extensions.Logging;

namespace Annals.TestWorker.Jobs;

/// <summary>
/// Prints the host's warnings and errors as lines <c>LOG &lt;event id&gt; &lt;level&gt; &lt;message&gt; .</c>, so a test
/// sees what the host itself cut short (a lost lease, a failed delivery), and their exceptions on standard error.
/// </summary>
internal sealed class LineLogger(WorkerOutput output) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        output.Say($"LOG {eventId.Id} {logLevel} {formatter(state, exception).ReplaceLineEndings(" ")}");
        if (exception is not null)
        {
            Console.Error.WriteLine($"LOG {eventId.Id}: {exception}");
        }
    }

    public void Dispose()
    {
    }
}
