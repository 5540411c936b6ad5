namespace Annals.Cli;

/// <summary>The exit codes of the <c>annals</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line or its input is wrong: a bad option, stream name, filter or JSON, or a missing file.</summary>
    public const int UsageError = 1;

    /// <summary>The store refused: it is locked by another process, an expectation failed, or it could not be read or written.</summary>
    public const int StoreError = 2;

    /// <summary>Something failed that the tool did not foresee; the error output holds the details.</summary>
    public const int InternalError = 3;

    /// <summary>The command was stopped with Ctrl+C before it finished.</summary>
    public const int Canceled = 130;
}
