using Annals.Storage;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.Common;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// Keeps a journaled grain's log in an Annals stream: the confirmed view is the stream folded (from its snapshot),
/// the confirmed version the stream's event count (last revision + 1), and raised events are appended at the
/// revision the view was folded to, so two activations of one grain can never fork its log.
/// </summary>
/// <remarks>
/// Orleans' <see cref="PrimaryBasedLogViewAdaptor{TLogView, TLogEntry, TSubmissionEntry}"/> runs the protocol: it
/// queues raised events and calls <see cref="ReadAsync"/> and <see cref="WriteAsync"/> one at a time on the grain's
/// scheduler, which is why nothing here locks, and nothing awaits with <c>ConfigureAwait(false)</c>.
/// </remarks>
/// <typeparam name="TView">The grain's state.</typeparam>
/// <typeparam name="TEntry">The grain's event type.</typeparam>
internal sealed partial class AnnalsLogViewAdaptor<TView, TEntry> : PrimaryBasedLogViewAdaptor<TView, TEntry, AnnalsSubmissionEntry<TEntry>>
    where TView : class, new()
    where TEntry : class
{
    private readonly GrainLog<TView, TEntry> _log;
    private readonly int _snapshotEvery;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // The confirmed view and the revision of the last event folded into it (null: none). Set by the base constructor
    // through InitializeConfirmedView, before this constructor's body runs.
    private TView _view = null!;
    private long? _revision;

    // Whether the stream's snapshot was considered: only the first read starts from it.
    private bool _recovered;

    public AnnalsLogViewAdaptor(ILogViewAdaptorHost<TView, TEntry> host, TView initialState, ILogConsistencyProtocolServices services, GrainLog<TView, TEntry> log, int snapshotEvery, TimeProvider time, ILogger logger)
        : base(host, initialState, services)
    {
        _log = log;
        _snapshotEvery = snapshotEvery;
        _time = time;
        _logger = logger;
    }

    /// <summary>The grain's stream.</summary>
    public StreamName Stream => _log.Stream;

    protected override TView LastConfirmedView() => _view;

    protected override int GetConfirmedVersion() => VersionAfter(_revision);

    protected override void InitializeConfirmedView(TView initialstate)
    {
        _view = initialstate;
        _revision = null;
        _recovered = false;
    }

    protected override AnnalsSubmissionEntry<TEntry> MakeSubmissionEntry(TEntry entry) =>
        // Encoded now, so an unregistered event type fails RaiseEvent itself, and the id is fixed for every attempt.
        new() { Entry = entry, Event = _log.Encode(entry, Guid.CreateVersion7(_time.GetUtcNow())) };

    /// <summary>The confirmed events from version <paramref name="fromVersion"/> up to, not including, <paramref name="toVersion"/>, read from the stream.</summary>
    /// <exception cref="NotSupportedException">Some of them are no longer stored: the stream was truncated.</exception>
    public override async Task<IReadOnlyList<TEntry>> RetrieveLogSegment(int fromVersion, int toVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, fromVersion);
        var entries = new List<TEntry>(toVersion - fromVersion);
        long next = fromVersion;
        await foreach (var (record, decoded) in _log.ReadAsync(fromVersion, toVersion - fromVersion))
        {
            if (record.Revision != next)
            {
                break;
            }

            foreach (var entry in decoded)
            {
                entries.Add((TEntry)entry);
            }

            next++;
        }

        // Version v is the event at revision v - 1, so versions [from, to) are revisions [from, to).
        return next == toVersion
            ? entries
            : throw new NotSupportedException($"The events of {_log.Stream} at revisions {fromVersion} to {toVersion - 1} are not all stored any more (the stream was truncated before revision {next + 1} or later).");
    }

    protected override Task ClearPrimaryLogAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"The Annals log-consistency provider does not clear logs: events are kept for good, and a stream deleted in Annals goes on at its old revisions, so {_log.Stream}'s version would not start again at 0.");

    // The confirmed version after the event at a revision: the number of events the stream has had.
    private static int VersionAfter(long? revision) => checked((int)((revision ?? -1) + 1));

    private void Apply(TView view, TEntry entry)
    {
        try
        {
            Host.UpdateView(view, entry);
        }
        catch (Exception e)
        {
            // As in Orleans' own adaptors: the grain's transition code failing does not stop the log.
            Services.CaughtUserCodeException("UpdateView", nameof(Apply), e);
        }
    }

    // Waits as long as the last recorded issue says (growing with consecutive failures), on the injected clock.
    private Task DelayBeforeRetryAsync() =>
        LastPrimaryIssue.Issue is { RetryDelay: var delay } && delay > TimeSpan.Zero
            ? Task.Delay(delay, _time, CancellationToken.None)
            : Task.CompletedTask;
}
