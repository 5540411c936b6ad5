using System.Globalization;

namespace Annals.TestWorker.Jobs;

/// <summary>Starts <c>process</c> workers and reads their lines (see <see cref="JobsCommand"/>).</summary>
public static class JobWorker
{
    /// <summary>Starts a worker on a SQLite file; it waits for <see cref="GoAsync"/>.</summary>
    /// <param name="name">What the test calls it.</param>
    /// <param name="path">The file.</param>
    /// <param name="handleHold">How long each step holds after printing HANDLE.</param>
    /// <param name="deliveryHold">How long each delivery holds after printing RECEIPT.</param>
    /// <returns>The worker.</returns>
    public static WorkerProcess StartSqlite(string name, string path, TimeSpan handleHold, TimeSpan deliveryHold) =>
        WorkerProcess.Start(name, "process", ["sqlite", path, handleHold, deliveryHold]);

    /// <summary>Starts a worker on a PostgreSQL schema, sharing the process through the store's leases; it waits for <see cref="GoAsync"/>.</summary>
    /// <param name="connectionString">The server.</param>
    /// <param name="schema">The store's schema.</param>
    /// <param name="owner">Its name as a lease owner; the test calls it "worker 'owner'".</param>
    /// <param name="lease">How long its leases live unless renewed.</param>
    /// <param name="handleHold">How long each step holds after printing HANDLE.</param>
    /// <param name="deliveryHold">How long each delivery holds after printing RECEIPT.</param>
    /// <returns>The worker.</returns>
    public static WorkerProcess StartPostgres(string connectionString, string schema, string owner, TimeSpan lease, TimeSpan handleHold, TimeSpan deliveryHold) =>
        WorkerProcess.Start($"worker '{owner}'", "process", ["postgres", connectionString, schema, owner, lease, handleHold, deliveryHold]);

    /// <summary>Waits until the worker is ready, then starts its host.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task that completes once told.</returns>
    public static async Task GoAsync(this WorkerProcess worker, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await worker.WaitUntilReadyAsync(patience).ConfigureAwait(false);
        worker.Send("GO");
    }

    /// <summary>Reads a complete line of a worker's: its words without the closing ".", or <see langword="null"/> for a cut one.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The words.</returns>
    public static string[]? Words(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split(' ');
        return words is [.. var text, "."] && text.Length > 0 ? text : null;
    }

    /// <summary>Whether a line is a complete one of a kind (HANDLE, DELIVER, RECEIPT, STATUS…).</summary>
    /// <param name="line">The line.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>Whether it is.</returns>
    public static bool Is(string line, string kind) => Words(line) is [var first, ..] && first == kind;

    /// <summary>
    /// Waits until the worker reports its process done: the checkpoint at or past a position, and no command pending or parked.
    /// </summary>
    /// <param name="worker">The worker.</param>
    /// <param name="position">The position of the last event the process listens to.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>The line.</returns>
    public static Task<WorkerProcessLine> WaitUntilDoneAsync(this WorkerProcess worker, long position, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return worker.WaitForAsync(
            l => Words(l) is ["STATUS", _, var checkpoint, var commands, _, var parked] && Number(checkpoint) >= position && commands == "0" && parked == "0",
            patience);
    }

    /// <summary>Asks the worker to stop its host and exit, and waits until it has.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task that completes when the worker has exited.</returns>
    /// <exception cref="InvalidOperationException">It exited with an error, or without saying STOPPED.</exception>
    public static async Task StopProcessAsync(this WorkerProcess worker, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.Send("STOP");
        var exitCode = await worker.WaitForExitAsync(patience).ConfigureAwait(false);
        if (exitCode != 0 || worker.Lines is not [.., { Text: "STOPPED ." }])
        {
            throw new InvalidOperationException($"The {worker.Name} did not stop cleanly (exit code {exitCode}). {worker.Describe()}");
        }
    }

    /// <summary>The message id of the last delivery the worker began: the only one that a kill may have left delivered and still queued.</summary>
    /// <param name="worker">The worker.</param>
    /// <returns>The id, or <see langword="null"/> when it began none.</returns>
    public static Guid? LastDelivery(this WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return worker.Lines.Select(l => Words(l.Text)).LastOrDefault(w => w is ["DELIVER", _, _]) is { } words ? Guid.Parse(words[1]) : null;
    }

    /// <summary>Every command the worker began to deliver, in order.</summary>
    /// <param name="worker">The worker.</param>
    /// <returns>Their message ids, once each.</returns>
    public static IReadOnlyList<Guid> Deliveries(this WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return [.. worker.Lines.Select(l => Words(l.Text)).Where(w => w is ["DELIVER", _, _]).Select(w => Guid.Parse(w![1])).Distinct()];
    }

    /// <summary>
    /// The deliveries the worker's host may have cut short itself, after the command was delivered and before it was
    /// removed, so that it comes again without a kill: around each delivery that failed (LOG 501), each restart of the
    /// deliveries on an error (504) and each lost delivery lease (507), the last delivery begun before the line and the
    /// first after it (deliveries run one at a time; one may begin between the log line and the cancellation).
    /// </summary>
    /// <param name="worker">The worker.</param>
    /// <returns>The message ids, once per line.</returns>
    public static IReadOnlyList<Guid> CutShort(this WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var words = worker.Lines.Select(l => Words(l.Text)).OfType<string[]>().ToList();
        var cut = new List<Guid>();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is ["LOG", "501" or "504" or "507", ..])
            {
                cut.AddRange(words[..i].Where(w => w is ["DELIVER", _, _]).TakeLast(1).Concat(words[i..].Where(w => w is ["DELIVER", _, _]).Take(1)).Select(w => Guid.Parse(w[1])));
            }
        }

        return cut;
    }

    /// <summary>How many complete lines of a kind the worker printed.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public static int Count(this WorkerProcess worker, string kind)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return worker.Lines.Count(l => Is(l.Text, kind));
    }

    /// <summary>Reads a number of a line.</summary>
    /// <param name="text">The word.</param>
    /// <returns>The number.</returns>
    public static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
