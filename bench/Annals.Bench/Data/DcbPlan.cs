using Annals.Bench.Courses;

namespace Annals.Bench.Data;

/// <summary>
/// What one caller of the <c>decide-dcb</c> workload sends, made before measuring: its warm-up and its measured
/// subscriptions, each a (course, student) pair drawn from the caller's own seeded random, so a run repeats its
/// commands exactly and callers race on the courses and students they happen to share.
/// </summary>
internal sealed class DcbPlan
{
    private DcbPlan(SubscribeStudent[] warmUp, SubscribeStudent[] measured)
    {
        WarmUp = warmUp;
        Measured = measured;
    }

    public SubscribeStudent[] WarmUp { get; }

    public SubscribeStudent[] Measured { get; }

    /// <summary>Plans every caller, sharing the commands out as evenly as possible.</summary>
    public static DcbPlan[] ForAll(DcbSettings settings)
    {
        var callers = settings.Common.Writers;
        var commands = settings.Common.Events;
        var plans = new DcbPlan[callers];
        for (var w = 0; w < callers; w++)
        {
            var measured = (commands / callers) + (w < commands % callers ? 1 : 0);
            var random = new Random(w + 1);
            var warmUp = Commands(random, settings, settings.Common.Warmup);
            plans[w] = new DcbPlan(warmUp, Commands(random, settings, measured));
        }

        return plans;
    }

    private static SubscribeStudent[] Commands(Random random, DcbSettings settings, int count)
    {
        var commands = new SubscribeStudent[count];
        for (var i = 0; i < count; i++)
        {
            commands[i] = new SubscribeStudent(CourseNames.Course(random.Next(settings.Courses)), CourseNames.Student(random.Next(settings.Students)));
        }

        return commands;
    }
}
