using System.Diagnostics;
using Annals.Serialization;

namespace Annals.Entities;

/// <summary>A command in a mailbox, with the sender's deadline and the reply it waits for.</summary>
internal sealed class Envelope(object command, MessageContext? context, CancellationToken expired, Activity? span)
{
    /// <summary>The command's span, from send to reply; its handling runs under it, on the entity's own loop.</summary>
    public Activity? Span { get; } = span;

    /// <summary>When the command was posted, to tell its wait in the mailbox.</summary>
    public long Posted { get; } = Stopwatch.GetTimestamp();

    public object Command { get; } = command;

    public MessageContext? Context { get; } = context;

    /// <summary>Cancelled once the sender stopped waiting; such a command is dropped rather than handled.</summary>
    public CancellationToken Expired { get; } = expired;

    public TaskCompletionSource<object> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
