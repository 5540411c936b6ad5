using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Annals.Storage;
using NATS.Client.Core;
using Xunit;

namespace Annals.Nats.Tests;

/// <summary>
/// A NATS server of its own, stopped and started again on the same port and storage while a writer appends: every
/// commit that was acknowledged is there afterwards, once, and the store goes on without being opened again.
/// </summary>
public sealed class NatsServerRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_acknowledged_commit_survives_a_server_restart_during_appends_once()
    {
        var dir = Directory.CreateTempSubdirectory("annals-nats-restart").FullName;
        var port = FreePort();
        var server = StartServer(port, dir);
        try
        {
            await WaitForPortAsync(port, server);
            await using var connection = new NatsConnection(new NatsOpts { Url = $"nats://127.0.0.1:{port}", Name = "restart test" });
            await using var store = await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Connection = connection, Store = "restart" });
            var acknowledged = new List<Guid>();
            var failures = 0;
            var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var e = EventData.FromText("Counted", $$"""{"i":{{i}}}""");
                    try
                    {
                        await store.AppendAsync(StreamName.Parse($"counter.{i % 4}"), ExpectedRevision.Any, e);
                        lock (acknowledged)
                        {
                            acknowledged.Add(e.EventId);
                        }
                    }
                    catch (Exception error) when (error is AnnalsException or NatsException or TimeoutException or OperationCanceledException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            });

            await WaitUntilAsync(() => Count(acknowledged) >= 50);
            Stop(server);
            server = StartServer(port, dir);
            await WaitForPortAsync(port, server);
            var before = Count(acknowledged);
            await WaitUntilAsync(() => Count(acknowledged) >= before + 50);
            await stop.CancelAsync();
            await writer.WaitAsync(Patience);

            var stored = await store.ReadAllAsync().ToListAsync();
            var ids = stored.Select(e => e.EventId).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Empty(acknowledged.Except(ids));
            Assert.Equal(stored.Select(e => e.Position).Order(), stored.Select(e => e.Position));
        }
        finally
        {
            Stop(server);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Count(List<Guid> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Patience, "the writer made no progress");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    private static Process StartServer(int port, string dir)
    {
        var binary = Environment.GetEnvironmentVariable("ANNALS_NATS_SERVER") is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException("ANNALS_NATS_SERVER is not set: run the tests with ./test.sh, which installs nats-server and sets it.");
        var start = new ProcessStartInfo(binary, ["-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process server)
    {
        if (server.HasExited)
        {
            return;
        }

        // A graceful stop (SIGTERM), as a restart for an upgrade does.
        using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!server.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server.HasExited, "nats-server exited at start");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < Patience)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
        }
    }
}
