using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.Serialization;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// What a log view adaptor needs of the runtime for its grain: its id, deep copies of views, and logging. Orleans
/// registers its own only with its own providers and keeps it internal; this one does the same, so that the Annals
/// provider also works alone. Whichever is registered first serves every log-consistent grain of the silo.
/// </summary>
internal sealed partial class AnnalsProtocolServices(IGrainContext grainContext, ILogger logger, DeepCopier copier, string clusterId)
    : ILogConsistencyProtocolServices
{
    public GrainId GrainId => grainContext.GrainId;

    public string MyClusterId => clusterId;

    public T DeepCopy<T>(T value) => copier.Copy(value)!;

    public void ProtocolError(string msg, bool throwexception)
    {
        ProtocolErrorLogged(logger, GrainId, msg);
        if (throwexception)
        {
            // The adaptor's worker ends with it, and whoever waits on the worker (ConfirmEvents, activation) gets it.
            throw new OrleansException($"{msg} (grain={GrainId}, cluster={MyClusterId})");
        }
    }

    public void CaughtException(string where, Exception e) => ExceptionCaught(logger, e, GrainId, where);

    public void CaughtUserCodeException(string callback, string where, Exception e) => UserCodeFailed(logger, e, GrainId, callback, where);

    public void Log(LogLevel level, string format, params object[] args)
    {
        if (logger.IsEnabled(level))
        {
            Message(logger, level, GrainId, string.Format(CultureInfo.InvariantCulture, format, args));
        }
    }

    [LoggerMessage(100, LogLevel.Error, "{GrainId} log-consistency protocol error: {Message}")]
    private static partial void ProtocolErrorLogged(ILogger logger, GrainId grainId, string message);

    [LoggerMessage(101, LogLevel.Error, "{GrainId} exception caught at {Location}")]
    private static partial void ExceptionCaught(ILogger logger, Exception exception, GrainId grainId, string location);

    [LoggerMessage(102, LogLevel.Warning, "{GrainId} exception in user code {Callback}, called from {Location}")]
    private static partial void UserCodeFailed(ILogger logger, Exception exception, GrainId grainId, string callback, string location);

    [LoggerMessage(EventId = 103, Message = "{GrainId} {Message}")]
    private static partial void Message(ILogger logger, LogLevel level, GrainId grainId, string message);
}
