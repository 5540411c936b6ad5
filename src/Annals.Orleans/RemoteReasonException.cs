namespace Annals.Orleans;

/// <summary>
/// Why an entity in another silo rejected a command: the exception its behaviour threw there, carried as the name of
/// its type and its message. It is the inner exception of the <see cref="Annals.Entities.CommandRejectedException"/> the
/// sender gets.
/// </summary>
public sealed class RemoteReasonException : Exception
{
    /// <summary>Makes the exception.</summary>
    /// <param name="reasonType">The full name of the exception's type where it was thrown.</param>
    /// <param name="message">Its message.</param>
    public RemoteReasonException(string reasonType, string message)
        : base(message)
    {
        ReasonType = reasonType;
    }

    /// <summary>The full name of the exception's type where it was thrown, such as <c>System.InvalidOperationException</c>.</summary>
    public string ReasonType { get; }
}
