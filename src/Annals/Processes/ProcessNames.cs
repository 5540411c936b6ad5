using Annals.Storage;

namespace Annals.Processes;

/// <summary>The names a process uses in the store: its checkpoint, its queues and the keys of its instances' state.</summary>
internal static class ProcessNames
{
    public const int MaxNameLength = 48;

    public static void CheckProcess(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || !name.All(NameRules.IsWordChar))
        {
            throw new InvalidNameException(NameKind.Consumer, name, $"a process name is 1 to {MaxNameLength} letters, digits, '_' or '-'");
        }
    }

    public static void CheckTimeout(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64 || !name.All(NameRules.IsWordChar))
        {
            throw new ArgumentException($"Timeout name '{name}' is invalid: use 1 to 64 letters, digits, '_' or '-'.", nameof(name));
        }
    }

    /// <summary>The projection that feeds the process its events, and names its checkpoint and lease.</summary>
    public static string Projection(string process) => "process:" + process;

    public static string Commands(string process) => $"process:{process}:commands";

    public static string Timeouts(string process) => $"process:{process}:timeouts";

    /// <summary>The key of an instance's durable state, in a category of the process's own.</summary>
    public static StreamName Instance(string process, string instanceId) => StreamName.For("process-" + process, instanceId);
}
