namespace Annals.TestWorker;

/// <summary>
/// The worker's report on standard output, one line at a time, each flushed at once and ending in " ." so that a line
/// cut by a kill is recognised.
/// </summary>
internal sealed class WorkerOutput
{
    private readonly Lock _lock = new();
    private readonly TextWriter _out;

    public WorkerOutput(TextWriter output) => _out = output;

    /// <summary>Prints a line, adding the closing " .".</summary>
    public void Say(string line) => Print(line + " .");

    /// <summary>Prints a line that already ends in " .".</summary>
    public void Print(string line)
    {
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
