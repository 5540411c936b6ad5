using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Annals.Diagnostics;

/// <summary>
/// The stores' instruments, on the meter named <see cref="AnnalsTelemetry.StoreMeterName"/>. One meter for the process,
/// as database clients have (Npgsql's <c>Npgsql</c> meter): a store is made by a static factory with no container to ask
/// for an <see cref="IMeterFactory"/>. Each measurement names its backend in <c>db.system.name</c>.
/// </summary>
internal static class StoreMetrics
{
    private static readonly Meter Meter = new(
        AnnalsTelemetry.StoreMeterName,
        typeof(StoreMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    private static readonly Counter<long> Commits = Meter.CreateCounter<long>("annals.store.commits", "{commit}", "Commits that reached an outcome, by outcome: committed, conflict, failed.");
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>("annals.store.events.appended", "{event}", "Events appended by successful commits (a replayed append counts again).");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("annals.store.commit.duration", "ms", "Time from a commit's call to its outcome, group wait and flush included.");
    private static readonly Histogram<long> GroupSize = Meter.CreateHistogram<long>("annals.store.commit.group_size", "{batch}", "Batches written in one transaction by a grouping writer.");
    private static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("annals.store.conflicts", "{conflict}", "Commits refused by an expectation, by kind: the error's type without its suffix.");
    private static readonly Counter<long> Read = Meter.CreateCounter<long>("annals.store.events.read", "{event}", "Events read from streams and the log, subscriptions included.");

    /// <summary>Whether a commit needs timing: some listener takes a commit instrument.</summary>
    public static bool CommitsObserved => Commits.Enabled || Duration.Enabled || Appended.Enabled || Conflicts.Enabled;

    public static void Committed(string system, int events, double milliseconds)
    {
        var tags = new TagList { { "db.system.name", system }, { "outcome", "committed" } };
        Commits.Add(1, tags);
        Duration.Record(milliseconds, tags);
        if (events > 0)
        {
            Appended.Add(events, new KeyValuePair<string, object?>("db.system.name", system));
        }
    }

    public static void Refused(string system, Exception error, double milliseconds)
    {
        var conflict = error is Storage.ConcurrencyException;
        var tags = new TagList { { "db.system.name", system }, { "outcome", conflict ? "conflict" : "failed" } };
        Commits.Add(1, tags);
        Duration.Record(milliseconds, tags);
        if (conflict)
        {
            Conflicts.Add(1, new TagList { { "db.system.name", system }, { "annals.conflict.kind", KindOf(error) } });
        }
    }

    public static void GroupWritten(string system, int batches) => GroupSize.Record(batches, new KeyValuePair<string, object?>("db.system.name", system));

    public static void EventsRead(string system, int events)
    {
        if (events > 0 && Read.Enabled)
        {
            Read.Add(events, new KeyValuePair<string, object?>("db.system.name", system));
        }
    }

    private static string KindOf(Exception error)
    {
        var name = error.GetType().Name;
        return name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
    }
}
