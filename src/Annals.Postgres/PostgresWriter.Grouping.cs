using System.Diagnostics;
using System.Threading.Channels;
using Annals.Storage.Providers;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    private static readonly TimeSpan MaxLinger = TimeSpan.FromMilliseconds(1);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingCommit>(_maxGroupSize);
        var expected = 0;
        var lastCommit = TimeSpan.Zero;
        while (_deferred.Count > 0 || group.Count > 0 || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.InsertRange(0, _deferred);
            _deferred.Clear();
            Take(reader, group);
            if (group.Count < expected)
            {
                await LingerAsync(reader, group, expected, lastCommit / 4).ConfigureAwait(false);
            }

            var size = group.Count;
            group.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.Completion.TrySetCanceled(p.CancellationToken));
            if (group.Count > 0 && await CheckLockAsync().ConfigureAwait(false) is { } noLock)
            {
                // Without its lock the store does not write: another opener may hold the schema exclusively.
                foreach (var pending in group)
                {
                    pending.Completion.TrySetException(noLock);
                }
            }
            else if (group.Count > 0)
            {
                CommitTelemetry.GroupWritten("postgresql", group, static p => p.Span);
                var started = Stopwatch.GetTimestamp();
                await CommitGroupAsync(group).ConfigureAwait(false);
                lastCommit = Stopwatch.GetElapsedTime(started);
                if (lastCommit >= _slowCommit)
                {
                    PostgresLog.SlowCommit(_logger, _schema, group.Count, lastCommit.TotalMilliseconds);
                }
            }

            group.Clear();
            if (_deferred.Count == 0)
            {
                // Whoever committed while the group did is not among the callers it has just served.
                Take(reader, group);
                expected = size > 1 ? size + group.Count : 0;
            }
        }
    }


    /// <summary>
    /// Callers served by the last group often commit again at once (a request loop, a projection).
    /// Without waiting for them, they would form the next group but one, and concurrent callers
    /// would settle into two halves taking turns, each group half as large as it could be. So a
    /// group that has fewer commits than the last one served, plus those that came meanwhile,
    /// waits for them: a small part of a commit's duration, yielding to let them run.
    /// </summary>
    private async Task LingerAsync(ChannelReader<PendingCommit> reader, List<PendingCommit> group, int expected, TimeSpan budget)
    {
        var limit = Math.Min(expected, _maxGroupSize);
        var started = Stopwatch.GetTimestamp();
        budget = budget < MaxLinger ? budget : MaxLinger;
        while (group.Count < limit && Stopwatch.GetElapsedTime(started) < budget)
        {
            await Task.Yield();
            Take(reader, group);
        }
    }

    private void Take(ChannelReader<PendingCommit> reader, List<PendingCommit> group)
    {
        while (group.Count < _maxGroupSize && reader.TryRead(out var pending))
        {
            group.Add(pending);
        }
    }
}
