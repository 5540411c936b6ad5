using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Annals.Samples.Bank.Telemetry;

/// <summary>Traces and metrics: ASP.NET Core and Annals, scraped as Prometheus text at /metrics, and sent over OTLP when an endpoint is configured.</summary>
public static class BankTelemetry
{
    public const string ServiceName = "annals-bank";

    /// <summary>The configuration key that turns OTLP export on, besides the standard environment variable.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddBankTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration[OtlpEndpointKey] ?? configuration["Bank:Otlp:Endpoint"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddAnnalsInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddAnnalsInstrumentation().AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        return services;
    }
}
