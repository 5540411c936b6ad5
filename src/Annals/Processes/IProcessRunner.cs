namespace Annals.Processes;

/// <summary>A process's delivery side, whatever its state type.</summary>
internal interface IProcessRunner
{
    string Name { get; }

    string CommandQueue { get; }

    string TimeoutQueue { get; }

    void Wake();

    Task RunAsync(CancellationToken cancellationToken);
}
