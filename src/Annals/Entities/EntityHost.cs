using System.Diagnostics;
using Annals.Diagnostics;
using System.Threading.Channels;
using Annals.Storage;

namespace Annals.Entities;

/// <summary>A live entity: its mailbox and the loop that recovers it, handles its commands one at a time, and passivates it when idle.</summary>
internal abstract class EntityHost
{
    private readonly Channel<Envelope> _mailbox;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _released = new();
    private int _sendersInFlight;
    private bool _passivated;
    private Task? _run;

    protected EntityHost(EntityEngine engine, EntityKind kind, StreamName id)
    {
        Engine = engine;
        Kind = kind;
        Id = id;
        _mailbox = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(kind.MailboxCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public StreamName Id { get; }

    public Task Completion => _run ?? Task.CompletedTask;

    protected EntityEngine Engine { get; }

    protected EntityKind Kind { get; }

    /// <summary>Puts a command in the mailbox, waiting for room; false when this host has been passivated (send to a new one).</summary>
    public async ValueTask<bool> PostAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_passivated)
            {
                return false;
            }

            _sendersInFlight++;
            _run ??= Task.Run(RunAsync, CancellationToken.None);
        }

        try
        {
            await _mailbox.Writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            throw new EngineStoppedException();
        }
        finally
        {
            lock (_gate)
            {
                _sendersInFlight--;
            }
        }
    }

    /// <summary>Passivates the entity as soon as its mailbox is empty, without waiting for the idle timeout.</summary>
    public void Release() => _released.Cancel();

    /// <summary>Accepts no more commands; the loop handles those queued, then ends.</summary>
    public void Close() => _mailbox.Writer.TryComplete();

    /// <summary>Fails every command still queued (when stopping ran out of time).</summary>
    public int FailQueued()
    {
        var failed = 0;
        while (_mailbox.Reader.TryRead(out var envelope))
        {
            envelope.Reply.TrySetException(new EngineStoppedException("The entity engine stopped before this queued command was handled; it was not stored."));
            failed++;
        }

        return failed;
    }

    protected abstract Task<long?> RecoverAsync(CancellationToken cancellationToken);

    /// <summary>Handles one command and returns the reply; throws for any failure, leaving the entity as it was.</summary>
    protected abstract Task<object> HandleAsync(Envelope envelope);

    private async Task RunAsync()
    {
        Engine.Metrics.Live(Kind.Category, +1);
        try
        {
            var recoveryError = await TryRecoverAsync().ConfigureAwait(false);
            var reader = _mailbox.Reader;
            var idleSince = Stopwatch.GetTimestamp();
            while (true)
            {
                while (!Engine.Aborted.IsCancellationRequested && reader.TryRead(out var envelope))
                {
                    if (recoveryError is not null)
                    {
                        envelope.Reply.TrySetException(recoveryError);
                        continue;
                    }

                    await DeliverAsync(envelope).ConfigureAwait(false);
                    idleSince = Stopwatch.GetTimestamp();
                }

                if (Engine.Aborted.IsCancellationRequested || reader.Completion.IsCompleted)
                {
                    return;
                }

                // A failed recovery is not kept: the next command recovers again, on a fresh host.
                if (recoveryError is not null && TryPassivate())
                {
                    return;
                }

                using var idle = new CancellationTokenSource(Kind.IdleTimeout, Engine.Time);
                using var idleOrReleased = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, _released.Token);
                try
                {
                    if (!await reader.WaitToReadAsync(idleOrReleased.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (idleOrReleased.IsCancellationRequested)
                {
                    if (TryPassivate())
                    {
                        EngineLog.Passivated(Engine.Logger, Id, Stopwatch.GetElapsedTime(idleSince).TotalMilliseconds);
                        return;
                    }
                }
            }
        }
        finally
        {
            Engine.Metrics.Live(Kind.Category, -1);
        }
    }

    private async Task<Exception?> TryRecoverAsync()
    {
        // In the trace of the command that brought the entity into memory: the loop started on its flow.
        using var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.EntityRecover);
        span?.SetTag("annals.entity", Id.ToString());
        var started = Stopwatch.GetTimestamp();
        try
        {
            var revision = await RecoverAsync(Engine.Aborted).ConfigureAwait(false);
            span?.SetTag("annals.entity.revision", revision);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Engine.Metrics.Recovered(Kind.Category, elapsed);
            EngineLog.Recovered(Engine.Logger, Id, revision, elapsed);
            return null;
        }
        catch (Exception e)
        {
            span?.Failed(e);
            EngineLog.RecoveryFailed(Engine.Logger, Id, e);
            return e;
        }
    }

    private async Task DeliverAsync(Envelope envelope)
    {
        if (envelope.Expired.IsCancellationRequested)
        {
            // The sender has already been told it timed out; handling it now would store what nobody waits for.
            envelope.Reply.TrySetCanceled(envelope.Expired);
            return;
        }

        // The loop runs in whatever trace started it: each command is handled in its own sender's trace.
        Activity.Current = envelope.Span;
        using var handling = CommandSpan.StartHandling(envelope);
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            envelope.Reply.TrySetResult(await HandleAsync(envelope).ConfigureAwait(false));
            outcome = "handled";
        }
        catch (Exception e)
        {
            CommandSpan.Failed(handling, e);
            outcome = e switch
            {
                CommandRejectedException => "rejected",
                EntityConflictException => "conflict",
                _ => "failed",
            };
            envelope.Reply.TrySetException(e);
        }

        handling?.SetTag("annals.entity.outcome", outcome);
        Engine.Metrics.Command(Kind.Category, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private bool TryPassivate()
    {
        lock (_gate)
        {
            if (_sendersInFlight > 0 || _mailbox.Reader.Count > 0)
            {
                return false;
            }

            _passivated = true;
        }

        Engine.Forget(this);
        return true;
    }
}
