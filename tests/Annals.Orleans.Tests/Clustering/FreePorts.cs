using System.Net;
using System.Net.Sockets;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>Ports free on the loopback address now, for silos and gateways: others' tests run beside these.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        // All held until all are chosen, so that no two are the same.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
