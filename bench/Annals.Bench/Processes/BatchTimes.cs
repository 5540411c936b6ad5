using System.Diagnostics;

namespace Annals.Bench.Processes;

/// <summary>
/// Splits a catch-up's batches into their steps (from the first step of a batch to its last: decoding, routing, loading
/// each instance's state, the process's step) and the rest until the batch's commit returns (writing states, commands
/// and timeouts into the commit, and the commit itself), on one <see cref="Stopwatch"/>. Both run on the process's
/// projection loop, one batch at a time.
/// </summary>
internal sealed class BatchTimes
{
    private long _first;
    private long _last;
    private long _stepping;
    private long _committing;

    public void Stepped()
    {
        _last = Stopwatch.GetTimestamp();
        if (_first == 0)
        {
            _first = _last;
        }
    }

    public void Committed()
    {
        if (_first != 0)
        {
            _stepping += _last - _first;
            _committing += Stopwatch.GetTimestamp() - _last;
        }

        _first = 0;
    }

    public TimeSpan Stepping => Stopwatch.GetElapsedTime(0, _stepping);

    public TimeSpan Committing => Stopwatch.GetElapsedTime(0, _committing);
}
