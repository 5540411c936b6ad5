namespace Annals.Sqlite;

/// <summary>How hard a commit works to survive a crash.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// A commit returns only after it is flushed to disk (<c>synchronous=FULL</c>): it survives a
    /// process crash and a power loss. The default.
    /// </summary>
    Full,

    /// <summary>
    /// Relaxed: commits survive a process crash but the last ones may be lost on power loss or an
    /// operating-system crash (<c>synchronous=NORMAL</c>). Faster; opt in only where that loss is acceptable.
    /// </summary>
    RelaxedOnPowerLoss,
}
