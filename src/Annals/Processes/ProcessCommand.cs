using Annals.Storage;

namespace Annals.Processes;

/// <summary>A command a step sends: delivered at least once, after the step is stored, to whatever handles its target's category.</summary>
/// <param name="Target">The stream the command is for: an entity, or a decider's stream.</param>
/// <param name="Command">The command; its type must be registered in the type registry.</param>
public sealed record ProcessCommand(StreamName Target, object Command);
