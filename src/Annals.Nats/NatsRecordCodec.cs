using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Nats;

/// <summary>The values of the store's key-value buckets: snapshots, durable states, checkpoints, queue messages.</summary>
internal static class NatsRecordCodec
{
    public static ReadOnlyMemory<byte> Snapshot(SaveSnapshotOperation save, DateTimeOffset timestamp) =>
        Versioned(save.Revision, timestamp, save.Type, save.Data);

    public static Snapshot Snapshot(StreamName stream, ReadOnlyMemory<byte> value)
    {
        var (revision, timestamp, type, data) = Versioned(value, $"The snapshot of '{stream}'");
        return new Snapshot(stream, revision, type, data, timestamp);
    }

    public static ReadOnlyMemory<byte> State(SaveStateOperation save, DateTimeOffset timestamp) =>
        Versioned(save.Version, timestamp, save.Type, save.Data);

    public static DurableState State(StreamName key, ReadOnlyMemory<byte> value)
    {
        var (version, timestamp, type, data) = Versioned(value, $"The durable state of '{key}'");
        return new DurableState(key, version, type, data, timestamp);
    }

    // Snapshots and durable states keep the same fields: a revision or version, when, the type and the data.
    private static ReadOnlyMemory<byte> Versioned(long number, DateTimeOffset timestamp, string type, ReadOnlyMemory<byte> data)
    {
        var writer = new NatsBinaryWriter(32 + data.Length);
        writer.Int64(number);
        writer.Int64(timestamp.UtcTicks);
        writer.String(type);
        writer.Bytes(data.Span);
        return writer.Written;
    }

    private static (long Number, DateTimeOffset Timestamp, string Type, ReadOnlyMemory<byte> Data) Versioned(ReadOnlyMemory<byte> value, string what)
    {
        var reader = new NatsBinaryReader(value, what);
        var number = reader.Int64();
        var timestamp = Time(reader.Int64());
        return (number, timestamp, reader.String(), reader.Bytes());
    }

    public static ReadOnlyMemory<byte> Checkpoint(long position)
    {
        var writer = new NatsBinaryWriter(8);
        writer.Int64(position);
        return writer.Written;
    }

    public static long Checkpoint(string consumer, ReadOnlyMemory<byte> value) =>
        new NatsBinaryReader(value, $"The checkpoint of '{consumer}'").Int64();

    public static ReadOnlyMemory<byte> Message(QueueMessage message, long sequence)
    {
        var writer = new NatsBinaryWriter(64 + message.Data.Length);
        writer.Int64(message.Revision);
        writer.Int64(sequence);
        writer.Int64(message.DueAt.UtcTicks);
        writer.Int64(message.EnqueuedAt.UtcTicks);
        writer.Int32(message.FailureCount);
        writer.NullableString(message.LastError);
        writer.String(message.Type);
        writer.Map(message.Metadata);
        writer.Bytes(message.Data.Span);
        return writer.Written;
    }

    public static (QueueMessage Message, long Sequence) Message(string queue, Guid messageId, ReadOnlyMemory<byte> value)
    {
        var reader = new NatsBinaryReader(value, $"The queue message {messageId} of '{queue}'");
        var revision = reader.Int64();
        var sequence = reader.Int64();
        var dueAt = Time(reader.Int64());
        var enqueuedAt = Time(reader.Int64());
        var failures = reader.Int32();
        var lastError = reader.NullableString();
        var type = reader.String();
        var metadata = reader.Map();
        var data = reader.Bytes();
        return (new QueueMessage(queue, messageId, type, data, metadata, dueAt, failures, lastError, revision, enqueuedAt), sequence);
    }

    public static QueueMessage Message(MessageKey key, MessageInsert insert) =>
        new(key.Queue, key.MessageId, insert.Enqueue.Type, insert.Enqueue.Data, insert.Enqueue.Metadata, insert.DueAt, insert.FailureCount, insert.LastError, insert.Revision, insert.EnqueuedAt);

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
