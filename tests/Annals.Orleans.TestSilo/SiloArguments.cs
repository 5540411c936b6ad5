using System.Globalization;

namespace Annals.Orleans.TestSilo;

/// <summary>What a test silo is told on its command line.</summary>
/// <param name="Store">The connection string of the Annals store's server.</param>
/// <param name="Schema">The Annals store's schema.</param>
/// <param name="Clustering">The connection string Orleans' membership table is reached with.</param>
/// <param name="ClusterId">The cluster to join.</param>
/// <param name="SiloPort">The port silos talk to this one on.</param>
/// <param name="GatewayPort">The port clients talk to this one on.</param>
public sealed record SiloArguments(string Store, string Schema, string Clustering, string ClusterId, int SiloPort, int GatewayPort)
{
    /// <summary>The service every test cluster belongs to; the cluster id sets each apart.</summary>
    public const string ServiceId = "annals-cluster-tests";

    public static SiloArguments Parse(string[] args) => args is [var store, var schema, var clustering, var clusterId, var siloPort, var gatewayPort]
        ? new SiloArguments(store, schema, clustering, clusterId, int.Parse(siloPort, CultureInfo.InvariantCulture), int.Parse(gatewayPort, CultureInfo.InvariantCulture))
        : throw new ArgumentException("usage: Annals.Orleans.TestSilo <store connection string> <store schema> <clustering connection string> <cluster id> <silo port> <gateway port>");

    public IEnumerable<string> ToArguments() =>
        [Store, Schema, Clustering, ClusterId, SiloPort.ToString(CultureInfo.InvariantCulture), GatewayPort.ToString(CultureInfo.InvariantCulture)];
}
