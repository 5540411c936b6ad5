namespace Annals.Processes;

/// <summary>The metadata keys a process puts on its queued commands and timeouts.</summary>
internal static class InstanceKeys
{
    public const string Instance = "process-instance";
    public const string Timeout = "process-timeout";
    public const string Target = "process-target";
}
