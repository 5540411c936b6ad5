using Annals.Storage;

namespace Annals.Processes;

/// <summary>No route takes a process's command: no handler of its type, no decider or entity engine for its target's category.</summary>
public sealed class UndeliverableCommandException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="target">The command's target.</param>
    /// <param name="commandType">The command's type.</param>
    public UndeliverableCommandException(StreamName target, Type commandType)
        : base($"No route delivers {commandType.Name} to '{target}': register a handler of the type, a decider of category '{target.Category}', or an entity engine hosting it.")
    {
        ArgumentNullException.ThrowIfNull(commandType);
        Target = target;
        CommandType = commandType;
    }

    /// <summary>The command's target.</summary>
    public StreamName Target { get; }

    /// <summary>The command's type.</summary>
    public Type CommandType { get; }
}
