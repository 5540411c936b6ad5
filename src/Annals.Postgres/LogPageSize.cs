namespace Annals.Postgres;

/// <summary>
/// How many events the next page of a log read asks for. Each page costs a connection from the
/// pool, a statement and its first rows, so a read that keeps finding full pages asks for larger
/// ones, up to <see cref="MaxEvents"/>, while a page's data stays well under <see cref="TargetBytes"/>;
/// pages holding more than that shrink again, so large events are read in small pages.
/// </summary>
internal sealed class LogPageSize
{
    public const int MaxEvents = 8192;

    public const long TargetBytes = 8L * 1024 * 1024;

    private const int MinEvents = 16;

    public int Next { get; private set; } = EventStoreLimits.ReadPageSize;

    /// <summary>Adjusts the next page to the one just read.</summary>
    /// <param name="count">Events the page held.</param>
    /// <param name="bytes">Their data and metadata, in bytes.</param>
    public void Saw(int count, long bytes)
    {
        if (bytes > TargetBytes)
        {
            Next = Math.Max(MinEvents, Next / 2);
        }
        else if (count >= Next && bytes < TargetBytes / 4)
        {
            Next = Math.Min(MaxEvents, Next * 2);
        }
    }
}
