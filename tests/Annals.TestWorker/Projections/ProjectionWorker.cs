using Annals.Projections;

namespace Annals.TestWorker.Projections;

/// <summary>Starts <c>projection</c> workers and reads their reports (see <see cref="ProjectionCommand"/>).</summary>
public static class ProjectionWorker
{
    /// <summary>Starts a worker on a SQLite file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="appendEvery">How often the worker appends a few events itself; never when <see langword="null"/>.</param>
    /// <returns>The worker.</returns>
    public static WorkerProcess StartSqlite(string path, string projection, TimeSpan? appendEvery = null) =>
        WorkerProcess.Start($"worker on {Path.GetFileName(path)}", "projection", appendEvery is { } every ? ["sqlite", path, projection, every] : ["sqlite", path, projection]);

    /// <summary>Starts a worker on a PostgreSQL schema, sharing its projection through the store's leases.</summary>
    /// <param name="connectionString">The server.</param>
    /// <param name="schema">The store's schema.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="owner">Its name as a lease owner.</param>
    /// <param name="leaseDuration">How long its lease lives unless renewed.</param>
    /// <returns>The worker.</returns>
    public static WorkerProcess StartPostgres(string connectionString, string schema, string projection, string owner, TimeSpan leaseDuration) =>
        WorkerProcess.Start($"worker '{owner}'", "projection", ["postgres", connectionString, schema, projection, owner, leaseDuration]);

    /// <summary>The complete reports a worker printed so far, in order.</summary>
    /// <param name="worker">The worker.</param>
    /// <returns>The reports.</returns>
    public static IReadOnlyList<WorkerLine> Reports(this WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return [.. worker.Lines.Select(Read).OfType<WorkerLine>()];
    }

    /// <summary>Waits for a report that matches.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="match">Which report.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>The first matching report.</returns>
    /// <exception cref="TimeoutException">None came in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited first.</exception>
    public static async Task<WorkerLine> WaitForReportAsync(this WorkerProcess worker, Func<WorkerLine, bool> match, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var line = await worker.WaitForAsync(l => WorkerLine.Parse(l) is { } report && match(report), patience).ConfigureAwait(false);
        return Read(line)!;
    }

    /// <summary>
    /// Waits for the worker's first batch, then for <paramref name="delay"/>, then kills it with SIGKILL at the next
    /// batch it hands over, and waits until it is gone: one round of the crash tests, aimed at the moment between a
    /// handled batch and its commit.
    /// </summary>
    /// <param name="worker">The worker.</param>
    /// <param name="delay">
    /// How long to let it work first: a random moment of a real process's run. It counts from the first batch so that
    /// it is spent working, not starting up or waiting for a dead worker's lease to lapse.
    /// </param>
    /// <param name="patience">How long to wait for each of the two batches.</param>
    /// <returns>The last batch the worker printed and the last state it reported, if any.</returns>
    /// <exception cref="TimeoutException">A batch did not come in time.</exception>
    /// <exception cref="InvalidOperationException">The worker exited on its own first.</exception>
    public static async Task<(WorkerLine LastBatch, ProjectionState? State)> KillAtABatchAfterAsync(this WorkerProcess worker, TimeSpan delay, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await worker.WaitForReportAsync(l => l.IsBatch, patience).ConfigureAwait(false);
        await Task.Delay(delay).ConfigureAwait(false);
        await worker.KillAtAsync(l => WorkerLine.Parse(l) is { IsBatch: true }, patience).ConfigureAwait(false);

        // The last batch printed rather than the one killed at: lines it wrote just before dying may arrive after it.
        var reports = worker.Reports();
        return (reports.Last(l => l.IsBatch), reports.LastOrDefault(l => l.IsStatus)?.State);
    }

    /// <summary>Asks the worker to stop its host and exit, and waits until it has.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task that completes when the worker has exited.</returns>
    /// <exception cref="TimeoutException">It did not exit in time.</exception>
    /// <exception cref="InvalidOperationException">It exited with an error.</exception>
    public static async Task StopAsync(this WorkerProcess worker, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.Send("STOP");
        var exitCode = await worker.WaitForExitAsync(patience).ConfigureAwait(false);
        if (exitCode != 0 || worker.Reports() is not [.., { Kind: "STOPPED" }])
        {
            throw new InvalidOperationException($"The {worker.Name} did not stop cleanly (exit code {exitCode}). {worker.Describe()}");
        }
    }

    private static WorkerLine? Read(WorkerProcessLine line) => WorkerLine.Parse(line.Text) is { } report ? report with { ReceivedAt = line.ReceivedAt } : null;
}
