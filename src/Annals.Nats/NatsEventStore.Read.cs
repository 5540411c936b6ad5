using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using StreamInfo = Annals.Storage.StreamInfo;

namespace Annals.Nats;

public sealed partial class NatsEventStore
{
    private INatsJSStream? _stream;

    /// <inheritdoc />
    public override async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var sequence = await LastSequenceAsync(cancellationToken).ConfigureAwait(false);

        // The head is the last event's position. A truncate's or a delete's message holds no event and records its
        // stream's last position, which may have been the head when its own message was removed; so walk back over such
        // messages (and removed ones) to the last message that holds events.
        long head = 0;
        for (; sequence > 0; sequence--)
        {
            var message = await GetMessageAsync(new StreamMsgGetRequest { Seq = sequence }, cancellationToken).ConfigureAwait(false);
            if (message is null || !TryParseSubject(message.Subject, out _))
            {
                continue;
            }

            var last = NatsStreamMessage.ReadHead(message.Data, message.Seq).LastPosition;
            if (last > 0 && NatsPositions.SequenceOf(last) == message.Seq)
            {
                return Math.Max(head, last);
            }

            head = Math.Max(head, last);
        }

        return head;
    }

    /// <inheritdoc />
    protected override bool ResumesWhenAvailable => true;

    /// <inheritdoc />
    protected override Task? NextAppendSignal() => Volatile.Read(ref _disposed) != 0 || _pulse.IsClosed ? null : _pulse.Next;

    /// <inheritdoc />
    protected override async Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken)
    {
        // Bounded by the poll interval: the poll loop fires the pulse, so nothing more is needed than the wait itself.
        await nextAppend.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var head = await LoadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        return head.Head is { Deleted: false } h ? new StreamInfo(stream, h.FirstRevision, h.LastRevision, h.LastPosition) : null;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var filter = category is null ? _layout.AllSubjects : _layout.CategorySubjects(category);
        var names = new List<StreamName>();
        try
        {
            var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
            var offset = 0;
            while (true)
            {
                var info = await _js.GetStreamAsync(_layout.StreamName, new StreamInfoRequest { SubjectsFilter = filter, Offset = offset }, cancellationToken).ConfigureAwait(false);
                var subjects = info.Info.State.Subjects;
                if (subjects is null || subjects.Count == 0)
                {
                    break;
                }

                foreach (var subject in subjects.Keys)
                {
                    if (TryParseSubject(subject, out var name))
                    {
                        names.Add(name);
                    }
                }

                offset += subjects.Count;
                if (offset >= info.Info.State.NumSubjects)
                {
                    break;
                }
            }

            _ = stream;
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }

        names.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        foreach (var name in names)
        {
            if (await GetStreamInfoCoreAsync(name, cancellationToken).ConfigureAwait(false) is { } info)
            {
                yield return info;
            }
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var events = await ReadWholeStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        if (forward)
        {
            return events.Where(e => e.Revision >= fromRevision).Take(count).ToList();
        }

        var backward = new List<RecordedEvent>(Math.Min(count, events.Count));
        for (var i = events.Count - 1; i >= 0 && backward.Count < count; i--)
        {
            if (events[i].Revision <= fromRevision)
            {
                backward.Add(events[i]);
            }
        }

        return backward;
    }

    /// <inheritdoc />
    protected override async ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var events = new List<RecordedEvent>();
        var scannedTo = afterPosition;
        var start = Math.Max(1, NatsPositions.SequenceOf(afterPosition + 1));
        var subject = NatsFilterSubject.For(_layout, filter);
        var decoded = new List<RecordedEvent>();
        ulong pending = 0;
        await foreach (var message in FetchAsync(subject, start, count, cancellationToken).ConfigureAwait(false))
        {
            var metadata = message.Metadata!.Value;
            var sequence = metadata.Sequence.Stream;
            pending = metadata.NumPending;
            if (TryParseSubject(message.Subject, out var stream))
            {
                decoded.Clear();
                NatsStreamMessage.ReadEvents(message.Data ?? [], stream, sequence, _cutoffs.FirstRevision(stream), decoded);
                foreach (var e in decoded)
                {
                    if (e.Position > afterPosition && filter.Matches(e))
                    {
                        events.Add(e);
                    }
                }
            }

            scannedTo = Math.Max(scannedTo, NatsPositions.LastOf(sequence));
            if (events.Count >= count)
            {
                break;
            }
        }

        var atEnd = pending == 0;
        if (events.Count > count)
        {
            // The last message held more matching events than the page takes: the next page goes on after the last taken.
            events.RemoveRange(count, events.Count - count);
            scannedTo = events[^1].Position;
            atEnd = false;
        }

        return new LogPage(events, scannedTo, atEnd);
    }

    /// <summary>Every stored event of a stream, in order: the events of its messages at or after its first kept revision.</summary>
    private async Task<List<RecordedEvent>> ReadWholeStreamAsync(StreamName stream, CancellationToken cancellationToken)
    {
        var messages = new List<(ulong Sequence, byte[] Data)>();
        await foreach (var message in FetchAsync(NatsKeys.Subject(_layout.Store, stream), 1, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            messages.Add((message.Metadata!.Value.Sequence.Stream, message.Data ?? []));
        }

        var events = new List<RecordedEvent>();
        if (messages.Count == 0)
        {
            return events;
        }

        var (lastSequence, lastData) = messages[^1];
        var head = NatsStreamMessage.ReadHead(lastData, lastSequence);
        _heads.Set(stream, new NatsStreamHead(lastSequence, head));
        if (head.Deleted)
        {
            return events;
        }

        foreach (var (sequence, data) in messages)
        {
            NatsStreamMessage.ReadEvents(data, stream, sequence, head.FirstRevision, events);
        }

        return events;
    }

    /// <summary>A stream's head as the server has it now, read from its last message.</summary>
    private async Task<NatsStreamHead> LoadHeadAsync(StreamName stream, CancellationToken cancellationToken)
    {
        var message = await GetMessageAsync(new StreamMsgGetRequest { LastBySubj = NatsKeys.Subject(_layout.Store, stream) }, cancellationToken).ConfigureAwait(false);
        var head = message is null ? new NatsStreamHead(0, null) : new NatsStreamHead(message.Seq, NatsStreamMessage.ReadHead(message.Data, message.Seq));
        _heads.Set(stream, head);
        return head;
    }

    private async Task<StoredMessage?> GetMessageAsync(StreamMsgGetRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
            var response = await stream.GetAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Message;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }
    }

    private async Task<ulong> LastSequenceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await _js.GetStreamAsync(_layout.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return info.Info.State.LastSeq;
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }
    }

    private async ValueTask<INatsJSStream> StreamAsync(CancellationToken cancellationToken) =>
        _stream ??= await _js.GetStreamAsync(_layout.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>The event stream of a subject <c>&lt;store&gt;.&lt;category&gt;.&lt;id&gt;</c>.</summary>
    private bool TryParseSubject(string subject, out StreamName stream)
    {
        var prefix = _layout.Store.Length + 1;
        if (subject.Length > prefix && subject.StartsWith(_layout.Store, StringComparison.Ordinal) && subject[prefix - 1] == '.')
        {
            return StreamName.TryParse(subject[prefix..], out stream);
        }

        stream = default;
        return false;
    }
}
