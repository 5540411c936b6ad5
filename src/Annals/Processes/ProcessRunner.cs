using Annals.Diagnostics;
using Annals.Entities;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;

namespace Annals.Processes;

/// <summary>
/// The delivery side of one process: a loop that delivers its due commands, and one that hands its due timeouts back to
/// their instances. Several owners may run them at once (they race on each message's revision, and one wins); a lease
/// makes one owner the usual case.
/// </summary>
/// <typeparam name="TState">The state.</typeparam>
internal sealed class ProcessRunner<TState> : IProcessRunner
{
    private const int MaxRaces = 8;

    private readonly string _name;
    private readonly IAsyncProcess<TState> _process;
    private readonly InstanceStore<TState> _instances;
    private readonly IEventStore _store;
    private readonly CommandRoutes _routes;
    private readonly ProcessOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProcessMetrics _metrics;

    /// <summary>Whether due timeouts wait for the event side to handle what was stored before them.</summary>
    private volatile bool _timeoutsHeld;

    /// <summary>Removals of the delivered commands of the page in hand, committed while the next ones are delivered.</summary>
    private readonly List<Task> _removals = [];

    public ProcessRunner(string name, IAsyncProcess<TState> process, InstanceStore<TState> instances, IEventStore store, CommandRoutes routes, ProcessOptions options, TimeProvider time, ILogger logger, ProcessMetrics metrics)
    {
        _metrics = metrics;
        _name = name;
        _process = process;
        _instances = instances;
        _store = store;
        _routes = routes;
        _options = options;
        _time = time;
        _logger = logger;
        Commands = new QueueLoop(store, instances.CommandQueue, time, options.PollInterval, DeliverAsync, SettleAsync);
        Timeouts = new QueueLoop(store, instances.TimeoutQueue, time, options.PollInterval, FireAsync, ready: EventsHandledAsync);
    }

    public string Name => _name;

    public QueueLoop Commands { get; }

    public QueueLoop Timeouts { get; }

    public string CommandQueue => _instances.CommandQueue;

    public string TimeoutQueue => _instances.TimeoutQueue;

    /// <summary>Called once any event batch is stored: due timeouts held back for it may go now.</summary>
    public void EventsHandled()
    {
        if (_timeoutsHeld)
        {
            Timeouts.Wake();
        }
    }

    /// <summary>
    /// Whether the process has handled every event of its filter stored so far. A timeout due after downtime must not
    /// overtake the events stored before it came due (the credit that makes a refund deadline moot): until they are
    /// handled, due timeouts wait.
    /// </summary>
    private async Task<bool> EventsHandledAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await _store.ReadCheckpointAsync(ProcessNames.Projection(_name), cancellationToken).ConfigureAwait(false) ?? 0;
        await foreach (var _ in _store.ReadAllAsync(checkpoint, _process.Filter, 1, cancellationToken).ConfigureAwait(false))
        {
            if (!_timeoutsHeld)
            {
                ProcessLog.TimeoutsHeld(_logger, _name, checkpoint);
            }

            _timeoutsHeld = true;
            return false;
        }

        _timeoutsHeld = false;
        return true;
    }

    /// <summary>Called once an event batch with commands or timeouts is stored.</summary>
    public void Wake()
    {
        Commands.Wake();
        Timeouts.Wake();
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Commands.RunAsync(cancellationToken), Timeouts.RunAsync(cancellationToken));

    private async Task DeliverAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var target = StreamName.Parse(message.Metadata[InstanceKeys.Target]);
        var correlation = message.Metadata.TryGetValue(MetadataKeys.CorrelationId, out var c) ? c : message.MessageId.ToString();
        var causation = message.Metadata.TryGetValue(MetadataKeys.CausationId, out var cause) ? cause : string.Empty;
        var delivery = new CommandDelivery(message.MessageId, target, correlation, causation, message.FailureCount + 1);
        using var span = ProcessSpans.Start(AnnalsActivity.ProcessDeliver, _name, message);
        span?.SetTag("annals.stream", target.ToString());
        try
        {
            var command = _instances.Decode(message, target);
            await _routes.DeliverAsync(command, delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            span?.Failed(e);
            var park = await FailedAsync(CommandQueue, message, e, parkNow: e is CommandRejectedException or UndeliverableCommandException, cancellationToken).ConfigureAwait(false);
            _metrics.DeliveryFailed(_name, park);
            return;
        }

        _metrics.Delivered(_name, Math.Max(0, (_time.GetUtcNow() - message.DueAt).TotalMilliseconds));

        // Not awaited here: the removals of a page's commands go to the store together, and the writer groups them,
        // instead of one commit's wait per command before the next delivery. The page is settled before the next read.
        _removals.Add(RemoveAsync(CommandQueue, message, cancellationToken));
    }

    /// <summary>Waits for the removals of the page's delivered commands.</summary>
    private async Task SettleAsync()
    {
        var removals = _removals.ToArray();
        _removals.Clear();
        await Task.WhenAll(removals).ConfigureAwait(false);
    }

    private async Task FireAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        using var span = ProcessSpans.Start(AnnalsActivity.ProcessTimeout, _name, message);
        try
        {
            for (var race = 0; race < MaxRaces; race++)
            {
                var commit = new CommitBatch().RemoveMessage(TimeoutQueue, message.MessageId, message.Revision);
                var (handled, sends) = await StepAsync(message, commit, cancellationToken).ConfigureAwait(false);
                try
                {
                    await _store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
                    _metrics.Timeout(_name, handled ? "handled" : "dropped");
                    span?.SetTag("annals.process.outcome", handled ? "handled" : "dropped");
                    if (sends)
                    {
                        Commands.Wake();
                    }

                    return;
                }
                catch (ConcurrencyException)
                {
                    // An event moved the instance, or another owner took the timeout: look again, unless it is gone or was
                    // put off (another owner's retry after a failure), in which case it comes back when it is due again.
                    if (await _store.ReadMessageAsync(TimeoutQueue, message.MessageId, cancellationToken).ConfigureAwait(false) is not { } now
                        || now.DueAt > _time.GetUtcNow())
                    {
                        return;
                    }

                    message = now;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            span?.Failed(e);
            var parked = await FailedAsync(TimeoutQueue, message, e, parkNow: false, cancellationToken).ConfigureAwait(false);
            _metrics.Timeout(_name, parked ? "parked" : "failed");
        }
    }

    /// <summary>Adds to the commit what the timeout does to its instance; one that ended, or no longer waits for it, only loses it.</summary>
    private async Task<(bool Handled, bool Sends)> StepAsync(QueueMessage message, CommitBatch commit, CancellationToken cancellationToken)
    {
        var id = message.Metadata[InstanceKeys.Instance];
        var name = message.Metadata[InstanceKeys.Timeout];
        var instance = await _instances.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (!instance.Exists || !instance.Pending.TryGetValue(name, out var pending) || pending != message.MessageId)
        {
            ProcessLog.TimeoutIgnored(_logger, _name, id, name);
            return (false, false);
        }

        // This commit removes the timeout: the instance no longer waits for it.
        instance.Pending.Remove(name);
        var payload = _instances.Decode(message, instance.Key);
        var now = _time.GetUtcNow();
        var context = new ProcessContext(_name, id, now, null, name);
        var step = await _process.HandleAsync(instance.State, payload, context, cancellationToken).ConfigureAwait(false);
        var cause = message.MessageId.ToString();
        instance.Apply(step, cause, MessageLinks.CausedBy(cause, message.Metadata));
        await _instances.WriteAsync(instance, commit, now, cancellationToken).ConfigureAwait(false);
        return (true, instance.Commands.Count > 0);
    }

    private async Task RemoveAsync(string queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _store.CommitAsync(new CommitBatch().RemoveMessage(queue, message.MessageId, message.Revision), cancellationToken).ConfigureAwait(false);
        }
        catch (QueueMessageConflictException)
        {
            // Another owner delivered it too, and removed it first.
        }
    }

    /// <summary>Reschedules a failed message after a back-off, or parks it; returns whether it was parked.</summary>
    private async Task<bool> FailedAsync(string queue, QueueMessage message, Exception error, bool parkNow, CancellationToken cancellationToken)
    {
        var failures = message.FailureCount + 1;
        var park = parkNow || failures >= _options.MaxAttempts;
        var dueAt = park ? ParkedEvents.NotDue : _time.GetUtcNow() + Backoff.FullJitter(_options.RetryDelay, _options.MaxRetryDelay, failures, Random.Shared);
        if (park)
        {
            ProcessLog.Parked(_logger, _name, queue, message.MessageId, failures, error);
        }
        else
        {
            ProcessLog.AttemptFailed(_logger, _name, queue, message.MessageId, failures, error);
        }

        try
        {
            await _store.CommitAsync(new CommitBatch().Reschedule(queue, message.MessageId, message.Revision, dueAt, failures, ProcessLog.Describe(error)), cancellationToken).ConfigureAwait(false);
        }
        catch (QueueMessageConflictException)
        {
            // Another owner got to it first.
        }

        return park;
    }
}
