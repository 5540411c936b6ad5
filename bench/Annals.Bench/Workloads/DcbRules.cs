using Annals.Bench.Courses;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>
/// Checks after a <c>decide-dcb</c> run that the rules held under the races: each course defined once and holding at
/// most its capacity, each student taking at most three courses, no subscription twice. Every subscription is read
/// back by the tag queries the decisions used, so a subscription stored without its tags fails the check too.
/// </summary>
internal static class DcbRules
{
    /// <summary>Returns the subscriptions stored, counted by course.</summary>
    /// <exception cref="InvalidOperationException">A rule was broken.</exception>
    public static async Task<long> CheckAsync(IEventStore store, EventCodec codec, DcbSettings settings, CancellationToken cancellationToken)
    {
        long byCourse = 0;
        for (var c = 0; c < settings.Courses; c++)
        {
            var course = CourseNames.Course(c);
            var events = await ReadAsync(store, codec, EventFilter.Query(["CourseDefined", "StudentSubscribed"], [CourseNames.CourseTag(course)]), cancellationToken);
            var definitions = events.OfType<CourseDefined>().ToArray();
            var subscriptions = events.OfType<StudentSubscribed>().ToArray();
            Require(definitions.Length == 1 && definitions[0].Course == course, $"course {course} is defined {definitions.Length} times");
            Require(subscriptions.Length <= definitions[0].Capacity, $"course {course} holds {subscriptions.Length} subscriptions, above its capacity {definitions[0].Capacity}");
            Require(subscriptions.All(s => s.Course == course), $"a subscription tagged with course {course} is to another course");
            Require(subscriptions.DistinctBy(s => s.Student).Count() == subscriptions.Length, $"a student is subscribed to course {course} twice");
            byCourse += subscriptions.Length;
        }

        long byStudent = 0;
        for (var s = 0; s < settings.Students; s++)
        {
            var student = CourseNames.Student(s);
            var subscriptions = (await ReadAsync(store, codec, EventFilter.Query(["StudentSubscribed"], [CourseNames.StudentTag(student)]), cancellationToken)).Cast<StudentSubscribed>().ToArray();
            Require(subscriptions.Length <= SubscriptionDecider.MaxCoursesPerStudent, $"student {student} takes {subscriptions.Length} courses, above {SubscriptionDecider.MaxCoursesPerStudent}");
            Require(subscriptions.All(x => x.Student == student), $"a subscription tagged with student {student} is another student's");
            byStudent += subscriptions.Length;
        }

        // Every subscription carries both tags, so both readings find all of them.
        Require(byCourse == byStudent, $"{byCourse} subscriptions read back by course but {byStudent} by student");
        return byCourse;
    }

    private static async Task<List<CourseEvent>> ReadAsync(IEventStore store, EventCodec codec, EventFilter filter, CancellationToken cancellationToken)
    {
        var events = new List<CourseEvent>();
        await foreach (var record in store.ReadAllAsync(0, filter, cancellationToken: cancellationToken))
        {
            events.AddRange(codec.Decode(record).Cast<CourseEvent>());
        }

        return events;
    }

    private static void Require(bool held, string broken)
    {
        if (!held)
        {
            throw new InvalidOperationException($"decide-dcb broke a rule: {broken}.");
        }
    }
}
