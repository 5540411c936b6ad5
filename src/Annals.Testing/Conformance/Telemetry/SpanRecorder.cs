using System.Collections.Concurrent;
using System.Diagnostics;
using Annals.Diagnostics;

namespace Annals.Testing.Conformance.Telemetry;

/// <summary>
/// Records the Annals spans of the traces a test starts with <see cref="StartTrace"/>, and no others: tests running side by
/// side each see their own spans only, and a commit outside any test's trace is not sampled, as with no listener at all.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private const string TestSourceName = "Annals.Testing.Traces";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentDictionary<ActivityTraceId, bool> _traces = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentBag<(Func<Activity, bool> Match, TaskCompletionSource Stopped)> _waiters = [];
    private readonly string? _rootSpan;
    private readonly ActivityListener _listener;

    /// <param name="rootSpan">An Annals span name recorded also when it starts a trace of its own (a projection's catch-up).</param>
    public SpanRecorder(string? rootSpan = null)
    {
        _rootSpan = rootSpan;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TestSourceName or AnnalsTelemetry.ActivitySourceName,
            Sample = Sample,
            ActivityStopped = activity =>
            {
                if (_traces.ContainsKey(activity.TraceId))
                {
                    _stopped.Enqueue(activity);
                    foreach (var (match, stopped) in _waiters)
                    {
                        if (match(activity))
                        {
                            stopped.TrySetResult();
                        }
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far in the test's traces.</summary>
    public IReadOnlyList<Activity> Spans => [.. _stopped];

    /// <summary>Starts a trace of the test's own, current until disposed.</summary>
    public Activity StartTrace(string name = "test")
    {
        // A root of its own, whatever is current; its ids exist once started.
        Activity.Current = null;
        var root = TestSource.StartActivity(name)!;
        _traces[root.TraceId] = true;
        return root;
    }

    /// <summary>Completes once a span that matches has stopped.</summary>
    public Task WhenStopped(Func<Activity, bool> match)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((match, stopped));
        if (Spans.Any(match))
        {
            stopped.TrySetResult();
        }

        return stopped.Task;
    }

    public IReadOnlyList<Activity> Named(string operation) => [.. Spans.Where(s => s.OperationName == operation)];

    public Activity Single(string operation, ActivityTraceId trace) => Spans.Single(s => s.OperationName == operation && s.TraceId == trace);

    public void Dispose() => _listener.Dispose();

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        if (options.Source.Name == TestSourceName)
        {
            return ActivitySamplingResult.AllDataAndRecorded;
        }

        if (options.Parent != default && _traces.ContainsKey(options.Parent.TraceId))
        {
            return ActivitySamplingResult.AllDataAndRecorded;
        }

        if (options.Parent == default && options.Name == _rootSpan)
        {
            _traces[options.TraceId] = true;
            return ActivitySamplingResult.AllDataAndRecorded;
        }

        return ActivitySamplingResult.None;
    }
}
