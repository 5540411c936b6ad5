using Annals.Storage;

namespace Annals.Deciders;

/// <summary>A command lost the race for its stream (or its consistency filter) on every attempt.</summary>
public sealed class DecisionConflictException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="stream">The stream the command's events were for.</param>
    /// <param name="attempts">How many times the command was decided.</param>
    /// <param name="lastConflict">The conflict of the last attempt.</param>
    public DecisionConflictException(StreamName stream, int attempts, ConcurrencyException lastConflict)
        : base($"The command for '{stream}' was decided {attempts} times and lost the race every time; last: {lastConflict.Message}", lastConflict)
    {
        Stream = stream;
        Attempts = attempts;
    }

    /// <summary>The stream the command's events were for.</summary>
    public StreamName Stream { get; }

    /// <summary>How many times the command was decided.</summary>
    public int Attempts { get; }
}
