using System.Collections;
using System.Diagnostics;

namespace Annals.Samples.Bank.Tests;

/// <summary>
/// The in-memory exporter's collection, made safe to read while spans end on other threads, and able to wait
/// (bounded) until the spans exported so far satisfy a condition: it wakes on every span exported.
/// </summary>
public sealed class ExportedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. _spans];
        }
    }

    /// <summary>Waits until <paramref name="find"/> finds something among the spans exported; fails after <see cref="BankClient.Patience"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<IReadOnlyList<Activity>, T?> find, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(BankClient.Patience);
        while (true)
        {
            Task added;
            lock (_gate)
            {
                added = _added.Task;
            }

            if (find(Snapshot()) is { } found)
            {
                return found;
            }

            try
            {
                await added.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var seen = string.Join(", ", Snapshot().Select(s => s.OperationName).Distinct());
                Assert.Fail($"No {what} among the {Count} spans exported after {BankClient.Patience.TotalSeconds} s: {seen}.");
            }
        }
    }

    public void Add(Activity item)
    {
        TaskCompletionSource added;
        lock (_gate)
        {
            _spans.Add(item);
            added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.SetResult();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
