using Microsoft.Extensions.Logging;

namespace Annals.Orleans.Postgres;

/// <summary>The log lines of the clustering set-up.</summary>
internal static partial class OrleansSchemaLog
{
    [LoggerMessage(1, LogLevel.Information, "Created Orleans' clustering tables in schema {Schema} on {Server} ({Scripts})")]
    public static partial void Created(ILogger logger, string schema, string server, string scripts);

    [LoggerMessage(2, LogLevel.Debug, "Orleans' clustering tables are in schema {Schema} on {Server}")]
    public static partial void Found(ILogger logger, string schema, string server);
}
