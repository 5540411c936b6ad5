using System.Diagnostics.Metrics;

namespace Annals.Testing;

/// <summary>A meter factory whose meters a test's listener can tell from every other component's in the process.</summary>
public sealed class OwnMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <inheritdoc />
    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <summary>Whether a meter was made by this factory.</summary>
    /// <param name="meter">The meter.</param>
    /// <returns><see langword="true"/> when it was.</returns>
    public bool Owns(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.Scope == this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
        }
    }
}
