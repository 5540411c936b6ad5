namespace Annals.Processes;

/// <summary>An instance's stored state cannot be read as the process's state type (another type, a newer schema, damaged data).</summary>
public sealed class ProcessStateException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="process">The process.</param>
    /// <param name="instanceId">The instance.</param>
    /// <param name="reason">Why it cannot be read.</param>
    public ProcessStateException(string process, string instanceId, string reason)
        : base($"The state of instance '{instanceId}' of process '{process}' cannot be read: {reason}.")
    {
        Process = process;
        InstanceId = instanceId;
    }

    /// <summary>The process.</summary>
    public string Process { get; }

    /// <summary>The instance.</summary>
    public string InstanceId { get; }
}
