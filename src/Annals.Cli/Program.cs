using Annals.Cli;

// Not disposed: the handler may still run while the process exits.
var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the command cleanly; a second one ends the process at once.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await AnnalsCli.RunAsync(args, Console.Out, Console.Error, cancel.Token);
