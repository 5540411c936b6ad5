using Annals.Serialization;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>A job was requested: it starts the job's process instance. The first event of stream <c>job.&lt;id&gt;</c>.</summary>
/// <param name="Job">The job.</param>
[EventType("job-requested")]
public sealed record Requested(string Job);

/// <summary>A job moved on: its instance counts it and schedules its expiry again.</summary>
/// <param name="Job">The job.</param>
[EventType("job-progressed")]
public sealed record Progressed(string Job);

/// <summary>A job finished: it ends its instance, whose state and pending expiry go.</summary>
/// <param name="Job">The job.</param>
[EventType("job-finished")]
public sealed record Finished(string Job);

/// <summary>The one command a job's instance sends, when the job is requested.</summary>
/// <param name="Job">The job.</param>
[EventType("job-perform")]
public sealed record Perform(string Job);

/// <summary>The payload of a job's expiry timeout, scheduled a day ahead so that it never comes due in a test.</summary>
/// <param name="Job">The job.</param>
[EventType("job-expire")]
public sealed record Expire(string Job);

/// <summary>What the handler of <see cref="Perform"/> appends for each delivery: a command delivered twice shows as two receipts of one message id.</summary>
/// <param name="MessageId">The command's message id.</param>
/// <param name="Job">The job.</param>
/// <param name="Attempt">The delivery's attempt.</param>
[EventType("job-receipt")]
public sealed record Receipt(Guid MessageId, string Job, int Attempt);

/// <summary>A job instance's state.</summary>
/// <param name="Job">The job.</param>
/// <param name="Handled">How many of the job's events the instance handled: one per event, however often it crashed.</param>
[EventType("job-state")]
public sealed record JobState(string Job, int Handled);

/// <summary>The names and types the <c>process</c> worker and the tests that check it share.</summary>
public static class JobDomain
{
    /// <summary>The process's name.</summary>
    public const string Process = "jobs";

    /// <summary>The jobs' stream category.</summary>
    public const string Category = "job";

    /// <summary>The name of an instance's expiry timeout.</summary>
    public const string Timeout = "expire";

    /// <summary>The stream the receipts are appended to.</summary>
    public static StreamName Receipts { get; } = StreamName.For("receipt", "all");

    /// <summary>The queue of the process's commands.</summary>
    public static string CommandQueue => $"process:{Process}:commands";

    /// <summary>The queue of the process's timeouts.</summary>
    public static string TimeoutQueue => $"process:{Process}:timeouts";

    /// <summary>The checkpoint of the process's event side.</summary>
    public static string Checkpoint => $"process:{Process}";

    /// <summary>A job's stream.</summary>
    /// <param name="job">The job.</param>
    /// <returns>Its stream name.</returns>
    public static StreamName Stream(string job) => StreamName.For(Category, job);

    /// <summary>The key of a job instance's durable state.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The key.</returns>
    public static StreamName InstanceKey(string job) => StreamName.For($"process-{Process}", job);

    /// <summary>The message id the process gives the command it sends for an event: derived from the event's id, the same however often the event is handled.</summary>
    /// <param name="job">The job.</param>
    /// <param name="requested">The id of the job's <see cref="Requested"/> event.</param>
    /// <returns>The command's message id.</returns>
    public static Guid CommandId(string job, Guid requested) => EventIds.Derive(InstanceKey(job), $"{requested}:command", 0);

    /// <summary>A codec of every type above.</summary>
    /// <returns>A new codec.</returns>
    public static EventCodec Codec() => new(new TypeRegistry()
        .Register<Requested>()
        .Register<Progressed>()
        .Register<Finished>()
        .Register<Perform>()
        .Register<Expire>()
        .Register<Receipt>()
        .Register<JobState>());
}
