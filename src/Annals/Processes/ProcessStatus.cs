using Annals.Projections;

namespace Annals.Processes;

/// <summary>A process's status at one moment.</summary>
/// <param name="Name">The process.</param>
/// <param name="Events">Its event side, as a projection's status: state, checkpoint, lag, last error.</param>
/// <param name="PendingCommands">Commands stored and not yet delivered.</param>
/// <param name="PendingTimeouts">Timeouts scheduled and not yet handed back.</param>
/// <param name="Parked">Commands and timeouts parked after their last attempt.</param>
public sealed record ProcessStatus(string Name, ProjectionStatus Events, int PendingCommands, int PendingTimeouts, int Parked);
