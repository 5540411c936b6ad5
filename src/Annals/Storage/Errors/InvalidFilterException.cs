namespace Annals.Storage;

/// <summary>A filter pattern is malformed. Raised when the filter is made.</summary>
public sealed class InvalidFilterException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="pattern">The pattern as given.</param>
    /// <param name="reason">Why it is invalid.</param>
    public InvalidFilterException(string pattern, string reason)
        : base($"Invalid filter '{pattern}': {reason}.")
    {
        Pattern = pattern;
        Reason = reason;
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>Why it is invalid.</summary>
    public string Reason { get; }
}
