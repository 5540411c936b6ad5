namespace Annals.Cli.Infrastructure;

/// <summary>The user's input cannot be used (bad JSON, a missing file, …). Reported as one line with <see cref="ExitCodes.UsageError"/>.</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
