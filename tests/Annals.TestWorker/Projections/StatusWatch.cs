using System.Globalization;
using Annals.Projections;

namespace Annals.TestWorker.Projections;

/// <summary>
/// Polls a projection's status and reports each change of state or checkpoint: "LIVE position" when caught up,
/// "STATE state position" otherwise. Errors the projection meets go to standard error, for the test's diagnostics.
/// </summary>
internal static class StatusWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(ProjectionHost host, string projection, WorkerOutput output, CancellationToken cancellationToken)
    {
        (ProjectionState State, long Position)? reported = null;
        Exception? lastError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var status = await host.GetStatusAsync(projection, cancellationToken).ConfigureAwait(false);
                if (reported != (status.State, status.Position))
                {
                    reported = (status.State, status.Position);
                    output.Say(status.State == ProjectionState.Live
                        ? string.Create(CultureInfo.InvariantCulture, $"LIVE {status.Position}")
                        : string.Create(CultureInfo.InvariantCulture, $"STATE {status.State} {status.Position}"));
                }

                if (status.LastError is { } error && !ReferenceEquals(error, lastError))
                {
                    await Console.Error.WriteLineAsync($"projection error: {error.GetType().Name}: {error.Message}").ConfigureAwait(false);
                }

                lastError = status.LastError;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (AnnalsException e)
            {
                // The status reads the store, which may be away for a moment; the projection retries on its own.
                await Console.Error.WriteLineAsync($"status unavailable: {e.Message}").ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
