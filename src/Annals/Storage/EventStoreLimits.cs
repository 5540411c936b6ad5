namespace Annals.Storage;

/// <summary>Limits every Annals store shares unless configured otherwise.</summary>
public static class EventStoreLimits
{
    /// <summary>The default largest event, data plus metadata plus tags: 1 MiB.</summary>
    public const int DefaultMaxEventBytes = 1024 * 1024;

    /// <summary>The most tags one event may carry.</summary>
    public const int MaxTagsPerEvent = 16;

    /// <summary>The longest tag, in UTF-16 code units.</summary>
    public const int MaxTagLength = 200;

    /// <summary>How many events a read returns per page when it streams from storage.</summary>
    public const int ReadPageSize = 512;
}
