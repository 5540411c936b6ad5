namespace Annals.Bench.RawPostgres;

/// <summary>
/// Positions for raw writers, taken in process. Unlike the store's head lock this does not make
/// positions follow commit order across writers: the baseline does less than the store.
/// </summary>
internal sealed class RawPositions(long last)
{
    private long _last = last;

    /// <summary>Reserves <paramref name="count"/> consecutive positions and returns the first.</summary>
    public long Take(int count) => Interlocked.Add(ref _last, count) - count + 1;
}
