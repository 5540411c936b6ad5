using Annals.Bench.Courses;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Bench.Workloads;

/// <summary>
/// <c>decide-dcb</c>: course subscriptions decided over tag queries (the dynamic consistency boundary). C callers send
/// subscriptions one after another, each a <see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(Annals.Storage.EventFilter, IDecider{TCommand, TState, TEvent}, TCommand, Func{TEvent, EventPlacement}, DecideOptions?, CancellationToken)"/>
/// over the course's definition and subscriptions and the student's subscriptions; two callers whose commands share a
/// course or a student race, and the loser decides again. The courses are defined before measuring; the rules are
/// checked after it. Serialization is System.Text.Json with reflection, the default, as in <c>decide</c>.
/// </summary>
internal static class DcbWorkload
{
    public static async Task<BenchResult> RunAsync(DcbSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var raw = await StoreFactory.OpenAsync(common, database, cancellationToken);
        var codec = new EventCodec(CourseNames.Registry());
        var store = new TypedEventStore(raw, codec);
        var options = new DecideOptions { UseCache = settings.Cache };

        Report.Progress($"{common.Store}: defining {settings.Courses} courses of capacity {settings.Capacity}");
        await DefineCoursesAsync(store, settings, cancellationToken);

        var callers = DcbPlan.ForAll(settings).Select(plan => new DcbCaller(plan, options)).ToArray();
        Report.Progress($"{common.Store}: warming up {callers.Length} callers with {common.Warmup} subscriptions each");
        await Task.WhenAll(callers.Select(c => c.WarmUpAsync(store, cancellationToken)));

        var cached = settings.Cache ? "states cached" : "no cache";
        Report.Progress($"{common.Store}: {callers.Length} callers decide {common.Events} subscriptions over {settings.Courses} courses and {settings.Students} students, {cached}");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = callers.Select(c => Task.Run(() => c.RunAsync(store, start.Task, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult();
        await Task.WhenAll(running);
        var span = measurement.Stop();

        var accepted = callers.Sum(c => c.Accepted);
        var refused = callers.Sum(c => c.Refused);
        var conflicts = callers.Sum(c => c.Conflicts);
        var stored = await DcbRules.CheckAsync(raw, codec, settings, cancellationToken);

        // A reused --db holds the subscriptions of earlier runs too, so the store may hold more than this run accepted, never fewer.
        var thisRun = accepted + callers.Sum(c => c.AcceptedInWarmUp);
        if (stored < thisRun)
        {
            throw new InvalidOperationException($"decide-dcb accepted {thisRun} subscriptions but {stored} are stored.");
        }

        Report.Progress($"rules held: {stored} subscriptions stored; {accepted} accepted, {refused} refused, {conflicts} lost races decided again");
        var result = Results.Create(common, span, common.Events, database.Description, Latencies.MergeSorted(callers.Select(c => c.Latencies)));
        var seconds = Math.Max(span.Seconds, 1e-9);
        return result with
        {
            // A refusal stores nothing, so only the accepted subscriptions are commits.
            Commits = accepted,
            CommitsPerSec = Math.Round(accepted / seconds, 1),
            Conflicts = conflicts,
            ConflictRate = Math.Round((double)conflicts / common.Events, 4),
            Accepted = accepted,
            Refused = refused,
        };
    }

    /// <summary>Defines every course before measuring, as many at a time as there are callers; courses never conflict with one another.</summary>
    private static Task DefineCoursesAsync(TypedEventStore store, DcbSettings settings, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, settings.Courses),
            new ParallelOptions { MaxDegreeOfParallelism = settings.Common.Writers, CancellationToken = cancellationToken },
            async (c, token) =>
            {
                var course = CourseNames.Course(c);
                await store.DecideAsync(CourseNames.Definition(course), DefineCourseDecider.Instance, new DefineCourse(course, settings.Capacity), CourseNames.Place, cancellationToken: token);
            });
}
