namespace Annals.ProjectionWorker;

/// <summary>
/// The worker's report on standard output, one line at a time, each flushed at once and ending in " ." so that a line
/// cut by a kill is recognised.
/// </summary>
internal sealed class WorkerOutput
{
    private readonly Lock _lock = new();
    private readonly TextWriter _out;

    public WorkerOutput(TextWriter output) => _out = output;

    public void Say(string line)
    {
        lock (_lock)
        {
            _out.WriteLine(line + " .");
            _out.Flush();
        }
    }
}
