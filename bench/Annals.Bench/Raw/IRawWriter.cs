using Annals.Bench.Measuring;

namespace Annals.Bench.Raw;

/// <summary>One writer thread of a raw-append baseline: synchronous, as plain ADO.NET code is.</summary>
internal interface IRawWriter
{
    Latencies Latencies { get; }

    void WarmUp();

    void Run();
}
