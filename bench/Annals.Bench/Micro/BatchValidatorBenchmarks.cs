using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using BenchmarkDotNet.Attributes;

namespace Annals.Bench.Micro;

/// <summary>BatchValidator.Validate, run before every commit, on batches of 100 events.</summary>
[MemoryDiagnoser]
public class BatchValidatorBenchmarks
{
    private CommitBatch _oneStream = new();
    private CommitBatch _tenStreams = new();

    [GlobalSetup]
    public void Setup()
    {
        var data = Encoding.UTF8.GetBytes("""{"account":"acc-000042","amount":125.5,"currency":"EUR","note":"a typical event of about a hundred bytes"}""");
        var metadata = new Dictionary<string, string> { ["correlation-id"] = Guid.NewGuid().ToString() };
        EventData Event() => new(Guid.NewGuid(), "Deposited", data, metadata);

        _oneStream = new CommitBatch().Append(StreamName.For("account", "42"), ExpectedRevision.Any, Enumerable.Range(0, 100).Select(_ => Event()));
        _tenStreams = new CommitBatch();
        for (var s = 0; s < 10; s++)
        {
            _tenStreams.Append(StreamName.For("account", s.ToString(System.Globalization.CultureInfo.InvariantCulture)), ExpectedRevision.Any, Enumerable.Range(0, 10).Select(_ => Event()));
        }
    }

    [Benchmark(Baseline = true)]
    public BatchOperation[] OneStreamOf100Events() => BatchValidator.Validate(_oneStream, EventStoreLimits.DefaultMaxEventBytes);

    [Benchmark]
    public BatchOperation[] TenStreamsOf10Events() => BatchValidator.Validate(_tenStreams, EventStoreLimits.DefaultMaxEventBytes);
}
