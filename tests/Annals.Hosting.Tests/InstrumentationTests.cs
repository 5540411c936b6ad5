using Annals.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Annals.Hosting.Tests;

public sealed class InstrumentationTests
{
    [Fact]
    public void Tracing_subscribes_to_the_annals_source_and_to_npgsql()
    {
        var builder = new RecordingTracerProviderBuilder();

        Assert.Same(builder, builder.AddAnnalsInstrumentation());

        Assert.Equal([AnnalsTelemetry.ActivitySourceName, "Npgsql"], builder.Sources);
    }

    [Fact]
    public void Metrics_subscribe_to_every_annals_meter_and_to_npgsql()
    {
        var builder = new RecordingMeterProviderBuilder();

        Assert.Same(builder, builder.AddAnnalsInstrumentation());

        Assert.Equal([.. AnnalsTelemetry.MeterNames, "Npgsql"], builder.Meters);
        Assert.Contains(AnnalsTelemetry.StoreMeterName, builder.Meters);
    }

    private sealed class RecordingTracerProviderBuilder : TracerProviderBuilder
    {
        public List<string> Sources { get; } = [];

        public override TracerProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory) => this;

        public override TracerProviderBuilder AddSource(params string[] names)
        {
            Sources.AddRange(names);
            return this;
        }

        public override TracerProviderBuilder AddLegacySource(string operationName) => this;
    }

    private sealed class RecordingMeterProviderBuilder : MeterProviderBuilder
    {
        public List<string> Meters { get; } = [];

        public override MeterProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory) => this;

        public override MeterProviderBuilder AddMeter(params string[] names)
        {
            Meters.AddRange(names);
            return this;
        }
    }
}
