using System.Runtime.CompilerServices;
using Annals.Storage;

namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    // Bounds the work done under the lock when a selective filter skips many events.
    private const int MaxScanPerLock = 8192;

    /// <inheritdoc />
    protected override ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var info = _streams.TryGetValue(stream, out var entry) && entry.CurrentRevision is { } last
                ? new StreamInfo(stream, entry.FirstRevision, last, entry.LastPosition)
                : null;
            return ValueTask.FromResult(info);
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamInfo[] streams;
        lock (_lock)
        {
            ThrowIfDisposed();
            streams = [.. _streams
                .Where(s => s.Value.CurrentRevision is not null && (category is null || s.Key.CategorySpan.SequenceEqual(category)))
                .Select(s => new StreamInfo(s.Key, s.Value.FirstRevision, s.Value.LastRevision, s.Value.LastPosition))
                .OrderBy(s => s.Stream.Value, StringComparer.Ordinal)];
        }

        foreach (var stream in streams)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stream;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult((long)_log.Count);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<RecordedEvent>>(ReadStreamPage(stream, fromRevision, count, forward));
    }

    private RecordedEvent[] ReadStreamPage(StreamName stream, long from, int count, bool forward)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_streams.TryGetValue(stream, out var entry) || entry.CurrentRevision is null || entry.Events.Count == 0)
            {
                return [];
            }

            // Stored events hold consecutive revisions from FirstRevision, so a revision maps to an index.
            var events = entry.Events;
            if (forward)
            {
                var start = (int)Math.Max(0, Math.Min(from - entry.FirstRevision, events.Count));
                return [.. events.Skip(start).Take(count)];
            }

            var top = Math.Min(from - entry.FirstRevision, events.Count - 1);
            if (top < 0)
            {
                return [];
            }

            var page = new RecordedEvent[Math.Min(count, (int)top + 1)];
            for (var i = 0; i < page.Length; i++)
            {
                page[i] = events[(int)top - i];
            }

            return page;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ReadLogPage(afterPosition, filter, count));
    }

    /// <summary>Copies up to <paramref name="count"/> matching events after <paramref name="after"/>, with how far it looked and whether it reached the head.</summary>
    private LogPage ReadLogPage(long after, EventFilter filter, int count)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TagIndex.Serves(filter))
            {
                return ReadTaggedPage(after, filter, count);
            }

            var page = new List<RecordedEvent>(Math.Min(count, 64));
            var index = (int)Math.Min(after, _log.Count);
            var limit = (int)Math.Min((long)index + MaxScanPerLock, _log.Count);
            while (index < limit && page.Count < count)
            {
                if (_log[index] is { } e && filter.Matches(e))
                {
                    page.Add(e);
                }

                index++;
            }

            return new LogPage(page, Math.Max(after, index), index >= _log.Count);
        }
    }

    /// <summary>A page of a tag query, from the tag index: the first <paramref name="count"/> matches of each item, merged.</summary>
    private LogPage ReadTaggedPage(long after, EventFilter filter, int count)
    {
        var candidates = _tags.Candidates(filter, after, position => _log[(int)(position - 1)] is { } e && filter.Matches(e), count);
        var page = candidates.Take(count).Select(position => _log[(int)(position - 1)]!).ToList();
        return page.Count == count
            ? new LogPage(page, page[^1].Position, false)
            : new LogPage(page, Math.Max(after, _log.Count), true);
    }
}
