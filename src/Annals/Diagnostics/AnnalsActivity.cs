using System.Diagnostics;
using System.Reflection;

namespace Annals.Diagnostics;

/// <summary>The activity source of every span Annals starts, and the span names.</summary>
internal static class AnnalsActivity
{
    public const string Commit = "annals.commit";
    public const string Decide = "annals.decide";
    public const string EntityCommand = "annals.entity.command";
    public const string EntityHandle = "annals.entity.handle";
    public const string EntityRecover = "annals.entity.recover";
    public const string ProjectionBatch = "annals.projection.batch";
    public const string ProcessDeliver = "annals.process.deliver";
    public const string ProcessTimeout = "annals.process.timeout";
    public const string ProjectionCatchUp = "annals.projection.catchup";

    public static readonly ActivitySource Source = new(
        AnnalsTelemetry.ActivitySourceName,
        typeof(AnnalsActivity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Marks a span failed with the error's type, as the OpenTelemetry conventions ask.</summary>
    public static void Failed(this Activity activity, Exception error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag("error.type", error.GetType().FullName);
    }
}
