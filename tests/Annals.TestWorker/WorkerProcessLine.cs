namespace Annals.TestWorker;

/// <summary>One line a worker printed on its standard output.</summary>
/// <param name="Text">The line as printed; one that does not end in " ." was cut short by a kill.</param>
/// <param name="ReceivedAt">When the test process received it, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</param>
public sealed record WorkerProcessLine(string Text, long ReceivedAt);
