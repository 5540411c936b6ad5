namespace Annals.Hosting;

/// <summary>The names of a store's health checks: <c>annals</c> (or <c>annals:&lt;store&gt;</c>), and <c>…:projection:&lt;name&gt;</c> per projection.</summary>
internal static class HealthCheckNames
{
    public static string Store(string storeName) => StoreNames.IsDefault(storeName) ? "annals" : $"annals:{storeName}";

    public static string Projection(string storeName, string projection) => $"{Store(storeName)}:projection:{projection}";

    public static string Processes(string storeName) => $"{Store(storeName)}:processes";
}
