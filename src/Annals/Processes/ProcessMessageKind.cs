namespace Annals.Processes;

/// <summary>What a queued message of a process is.</summary>
public enum ProcessMessageKind
{
    /// <summary>A command a step sent.</summary>
    Command,

    /// <summary>A timeout a step scheduled.</summary>
    Timeout,
}
