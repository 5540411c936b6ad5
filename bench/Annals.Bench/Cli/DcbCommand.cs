using System.CommandLine;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Cli;

/// <summary><c>decide-dcb</c>: the common workload options plus callers, courses, capacity, students and the cache.</summary>
internal static class DcbCommand
{
    public static Command Build()
    {
        var command = new Command("decide-dcb", "Course subscriptions over tag queries: callers send subscriptions of (course, student) pairs drawn at random, each a TypedEventStore.DecideAsync over the course's and the student's events (capacity per course, three courses per student), appended to its own stream with both tags; a lost race decides again. Measures each command's latency and counts conflicts; checks the rules held after the run.");
        var common = WorkloadOptions.Common();
        common.AddTo(command);
        var callers = WorkloadOptions.Positive(new Option<int>("--writers") { Description = "Concurrent callers.", DefaultValueFactory = _ => DcbSettings.DefaultCallers });
        var courses = WorkloadOptions.Positive(new Option<int>("--courses") { Description = "Courses, defined before measuring.", DefaultValueFactory = _ => 200 });
        var capacity = WorkloadOptions.Positive(new Option<int>("--capacity") { Description = "Subscriptions each course holds at most.", DefaultValueFactory = _ => 30 });
        var students = WorkloadOptions.Positive(new Option<int>("--students") { Description = "Students the commands pick from; each takes at most three courses.", DefaultValueFactory = _ => 2000 });
        var noCache = new Option<bool>("--no-cache") { Description = "Fold every decision's query from the start (DecideOptions.UseCache = false); cached by default." };
        command.Add(callers);
        command.Add(courses);
        command.Add(capacity);
        command.Add(students);
        command.Add(noCache);

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Each accepted command stores one event in one commit.
            var settings = common.Read("decide-dcb", parse) with { Writers = parse.GetValue(callers), Batch = 1 };
            var dcb = new DcbSettings(settings, parse.GetValue(courses), parse.GetValue(capacity), parse.GetValue(students), !parse.GetValue(noCache));
            var result = await DcbWorkload.RunAsync(dcb, cancellationToken);
            Report.Write(result);
            return 0;
        });
        return command;
    }
}
