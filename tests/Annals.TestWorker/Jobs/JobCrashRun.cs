using System.Globalization;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>What one kill of a <c>process</c> worker hit, as its lines and the store it left show.</summary>
/// <param name="Round">Which kill.</param>
/// <param name="Aim">The line it was killed at: HANDLE (a step, mid event batch), DELIVER (a delivery begun) or RECEIPT (a delivery done, not yet removed).</param>
/// <param name="At">Which of those lines of the run.</param>
/// <param name="Before">The checkpoint before the run.</param>
/// <param name="After">The checkpoint the kill left.</param>
/// <param name="Handled">Steps the run began.</param>
/// <param name="Delivered">Deliveries the run began.</param>
/// <param name="MidBatch">Whether the kill left the batch of the last step begun uncommitted.</param>
/// <param name="MidDelivery">Whether the kill left a command delivered (its receipt stored) and still queued, to be delivered again.</param>
public sealed record JobKill(int Round, string Aim, int At, long Before, long After, int Handled, int Delivered, bool MidBatch, bool MidDelivery)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"kill {Round + 1} at {Aim} #{At}: checkpoint {Before} -> {After}, {Handled} steps and {Delivered} deliveries begun{(MidBatch ? ", mid-batch" : string.Empty)}{(MidDelivery ? ", mid-delivery" : string.Empty)}");
}

/// <summary>
/// The crash test of the <c>process</c> worker, on any store: appends jobs, runs a worker and kills it with SIGKILL at
/// a step or a delivery, again and again (appending more jobs between the kills), then runs one to the end and checks
/// the store with <see cref="JobCheck"/>.
/// </summary>
/// <param name="open">Opens the store; called only while no worker runs (a SQLite file has one writer).</param>
/// <param name="start">Starts a worker for a round (the last round is the kill count), waiting for GO.</param>
/// <param name="log">Where the kills and figures are reported.</param>
/// <param name="seed">Seeds the jobs and the kills.</param>
public sealed class JobCrashRun(Func<Task<IEventStore>> open, Func<int, WorkerProcess> start, Action<string> log, int seed)
{
    /// <summary>How long to wait for any one line, or for a worker to finish.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly string[] Aims = ["HANDLE", "RECEIPT", "HANDLE", "DELIVER", "RECEIPT", "HANDLE", "RECEIPT", "DELIVER"];

    private readonly Random _random = new(seed);
    private readonly Dictionary<Guid, int> _redeliveries = [];
    private readonly List<JobKill> _kills = [];
    private int _logged;
    private int _cutShort;

    /// <summary>The kills so far.</summary>
    public IReadOnlyList<JobKill> Kills => _kills;

    /// <summary>Runs the test.</summary>
    /// <param name="jobs">Jobs requested before the first run.</param>
    /// <param name="kills">How many kills.</param>
    /// <param name="jobsBetween">Jobs requested after each kill.</param>
    /// <returns>The figures of the final check.</returns>
    public async Task<JobFigures> RunAsync(int jobs, int kills, int jobsBetween)
    {
        var plan = new JobPlan(JobDomain.Codec(), _random);
        long last;
        await using (var store = await open().ConfigureAwait(false))
        {
            last = await plan.AppendAsync(store, jobs).ConfigureAwait(false);
        }

        for (var round = 0; round < kills; round++)
        {
            last = await KillAsync(round, plan, jobsBetween) ?? last;
        }

        using (var worker = start(kills))
        {
            await worker.GoAsync(Patience).ConfigureAwait(false);
            await worker.WaitUntilDoneAsync(last, Patience).ConfigureAwait(false);
            await worker.StopProcessAsync(Patience).ConfigureAwait(false);
            Heed(worker);
        }

        await using (var store = await open().ConfigureAwait(false))
        {
            var figures = await JobCheck.RunAsync(store, _redeliveries).ConfigureAwait(false);
            log(string.Create(
                CultureInfo.InvariantCulture,
                $"{_kills.Count} kills ({_kills.Count(k => k.MidBatch)} mid-batch, {_kills.Count(k => k.MidDelivery)} mid-delivery, {_kills.Count(k => k.Aim == "HANDLE")} aimed at a step, {_kills.Count(k => k.Aim != "HANDLE")} at a delivery); {_logged} warnings logged by the workers, {_cutShort} deliveries they may have cut short; {figures}."));
            return figures;
        }
    }

    /// <summary>Allows a delivery again for each the worker's host may have cut short itself (a lost lease, a failed delivery), and reports its warnings.</summary>
    private void Heed(WorkerProcess worker)
    {
        foreach (var id in worker.CutShort())
        {
            _redeliveries[id] = _redeliveries.GetValueOrDefault(id) + 1;
            _cutShort++;
        }

        foreach (var line in worker.Lines.Where(l => JobWorker.Is(l.Text, "LOG")))
        {
            if (_logged++ < 20)
            {
                log($"{worker.Name}: {line.Text}");
            }
        }
    }

    /// <summary>One round: a worker killed at a line; then more jobs. Returns the position of the last event appended.</summary>
    private async Task<long?> KillAsync(int round, JobPlan plan, int jobsBetween)
    {
        long before;
        int events;
        int commands;
        await using (var store = await open().ConfigureAwait(false))
        {
            before = await store.ReadCheckpointAsync(JobDomain.Checkpoint).ConfigureAwait(false) ?? 0;
            var left = await store.ReadAllAsync(before, EventFilter.ForCategories(JobDomain.Category)).ToListAsync().ConfigureAwait(false);
            var queued = await store.ReadDueMessagesAsync(JobDomain.CommandQueue, DateTimeOffset.MaxValue).ConfigureAwait(false);
            events = left.Count;
            commands = queued.Count + left.Count(e => e.Type == "job-requested");
        }

        // Each kill aims at a line the run will print: a step of an event left, or a delivery of a command left.
        var aim = Aims[round % Aims.Length];
        if (aim == "HANDLE" && events == 0)
        {
            aim = "RECEIPT";
        }
        else if (aim != "HANDLE" && commands == 0)
        {
            aim = "HANDLE";
        }

        var at = aim == "HANDLE" ? _random.Next(1, Math.Min(events, 100) + 1) : _random.Next(1, Math.Min(commands, 40) + 1);
        if ((aim == "HANDLE" ? events : commands) == 0)
        {
            return null;
        }

        using var worker = start(round);
        await worker.WaitUntilReadyAsync(Patience).ConfigureAwait(false);
        var seen = 0;
        var killing = worker.KillAtAsync(l => JobWorker.Is(l, aim) && ++seen == at, Patience);
        worker.Send("GO");
        await killing.ConfigureAwait(false);

        // The last step begun rather than the one killed at: lines it printed just before dying may arrive after it.
        var lastStep = worker.Lines.Select(l => JobWorker.Words(l.Text)).LastOrDefault(w => w is ["HANDLE", _, _, _]);
        await using (var store = await open().ConfigureAwait(false))
        {
            var after = await store.ReadCheckpointAsync(JobDomain.Checkpoint).ConfigureAwait(false) ?? 0;
            var midBatch = lastStep is not null && after < JobWorker.Number(lastStep[3]);

            // A delivered command is removed from the queue after its delivery, and the removals of a page are committed
            // together: every command begun by the killed worker and still queued may come again. Those whose receipt is
            // stored were delivered mid-way of their page.
            var midDelivery = false;
            var receipts = await store.ReadStreamAsync(JobDomain.Receipts).Select(e => ((Receipt)JobDomain.Codec().Decode(e).Single()).MessageId).ToHashSetAsync().ConfigureAwait(false);
            foreach (var begun in worker.Deliveries())
            {
                if (await store.ReadMessageAsync(JobDomain.CommandQueue, begun).ConfigureAwait(false) is not null)
                {
                    _redeliveries[begun] = _redeliveries.GetValueOrDefault(begun) + 1;
                    midDelivery |= receipts.Contains(begun);
                }
            }

            Heed(worker);
            _kills.Add(new JobKill(round, aim, at, before, after, worker.Count("HANDLE"), worker.Count("DELIVER"), midBatch, midDelivery));
            log(_kills[^1].ToString());
            return jobsBetween > 0 ? await plan.AppendAsync(store, jobsBetween).ConfigureAwait(false) : null;
        }
    }
}
