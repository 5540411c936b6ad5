namespace Annals.Storage.Providers;

/// <summary>
/// How many events the next page of a log read asks for. Each page costs a backend a round trip or a
/// read transaction, so a read that keeps finding full pages asks for larger ones, up to
/// <see cref="MaxEvents"/>, while a page's data stays well under <see cref="TargetBytes"/>; pages
/// holding more than that shrink again, so large events are read in small pages.
/// </summary>
/// <remarks>For backends: <see cref="EventStoreBase"/> sizes the pages of <c>ReadAllAsync</c> and <c>ReadStreamAsync</c> with it; a subscription's catch-up can too.</remarks>
public sealed class LogPageSizer
{
    /// <summary>The largest page asked for.</summary>
    public const int MaxEvents = 8192;

    /// <summary>The data a page should stay under.</summary>
    public const long TargetBytes = 8L * 1024 * 1024;

    private const int MinEvents = 16;

    /// <summary>How many events to ask for next.</summary>
    public int Next { get; private set; } = EventStoreLimits.ReadPageSize;

    /// <summary>Adjusts the next page to the one just read.</summary>
    /// <param name="page">The page just read.</param>
    public void Saw(IReadOnlyList<RecordedEvent> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        long bytes = 0;
        foreach (var e in page)
        {
            bytes += e.Data.Length;
        }

        if (bytes > TargetBytes)
        {
            Next = Math.Max(MinEvents, Next / 2);
        }
        else if (page.Count >= Next && bytes < TargetBytes / 4)
        {
            Next = Math.Min(MaxEvents, Next * 2);
        }
    }
}
