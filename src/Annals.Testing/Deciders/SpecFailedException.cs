using Xunit.Sdk;

namespace Annals.Testing.Deciders;

/// <summary>A decider specification did not hold; the message shows the history, the command, and the expected and actual events side by side.</summary>
public sealed class SpecFailedException : XunitException
{
    /// <summary>Makes the failure.</summary>
    /// <param name="message">The report.</param>
    public SpecFailedException(string message)
        : base(message)
    {
    }
}
