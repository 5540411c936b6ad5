using System.Text.Json.Serialization;

namespace Annals.Bench.Reporting;

/// <summary>Source-generated serialization of the result lines; nulls are written, not skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BenchResult))]
[JsonSerializable(typeof(Comparing.CompareResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
