using System.Text.Json;

namespace Annals.Orleans.Tests;

/// <summary>The serializer options Annals writes payloads with by default.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
