namespace Annals.Hosting;

/// <summary>What Npgsql itself reports under: its activity source and its meter share one name.</summary>
internal static class NpgsqlTelemetry
{
    public const string Name = "Npgsql";
}
