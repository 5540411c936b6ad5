using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Storage;

namespace Annals.Processes;

/// <summary>
/// The spans of a process's deliveries: each a child of the trace its step was stored in (its message carries the step's
/// trace context), so a trace runs from an event through the process to the command's handling.
/// </summary>
internal static class ProcessSpans
{
    public static Activity? Start(string name, string process, QueueMessage message)
    {
        if (!AnnalsActivity.Source.HasListeners())
        {
            return null;
        }

        TraceContext.TryExtract(message.Metadata, out var parent);

        // The loop runs in no request's trace: a message without a context starts a trace of its own.
        Activity.Current = null;
        var span = AnnalsActivity.Source.StartActivity(name, ActivityKind.Consumer, parent);
        if (span is not null)
        {
            span.SetTag("annals.process", process);
            span.SetTag("messaging.system", "annals");
            span.SetTag("messaging.operation.type", "process");
            span.SetTag("messaging.destination.name", message.Queue);
            span.SetTag("messaging.message.id", message.MessageId.ToString());
            span.SetTag("annals.process.attempt", TagValues.Of(message.FailureCount + 1));
            Correlation.FromEvent(span, message.Metadata);
        }

        return span;
    }

    /// <summary>The current span's trace context, for the metadata of a command or timeout a step stores.</summary>
    public static void Inject(Dictionary<string, string> metadata)
    {
        if (Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current && !metadata.ContainsKey(Serialization.MetadataKeys.TraceParent))
        {
            metadata[Serialization.MetadataKeys.TraceParent] = current.Id!;
        }
    }
}
