namespace Annals.Testing.Conformance;

/// <summary>How one racer of a race fared: it won, or it lost with the error the race expects of losers.</summary>
/// <typeparam name="TError">The error a losing racer fails with.</typeparam>
/// <param name="Racer">The racer's number, from 0.</param>
/// <param name="Error">The error the racer lost with, or <see langword="null"/> when its attempt succeeded.</param>
public sealed record RaceOutcome<TError>(int Racer, TError? Error)
    where TError : Exception
{
    /// <summary>Whether the racer's attempt succeeded.</summary>
    public bool Won => Error is null;
}
