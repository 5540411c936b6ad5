using System.Globalization;
using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Bench.Courses;

/// <summary>The ids, tags, streams, queries and stored type names of the course subscriptions, in one place so the decisions and the check after the run agree.</summary>
internal static class CourseNames
{
    public static string Course(int index) => string.Create(CultureInfo.InvariantCulture, $"c{index}");

    public static string Student(int index) => string.Create(CultureInfo.InvariantCulture, $"s{index}");

    public static string CourseTag(string course) => $"course:{course}";

    public static string StudentTag(string student) => $"student:{student}";

    /// <summary>What a course's definition decides on: its own definition, so it is stored once.</summary>
    public static EventFilter Definition(string course) => EventFilter.Query(["CourseDefined"], [CourseTag(course)]);

    /// <summary>What a subscription decides on: the course's definition and subscriptions, and the student's subscriptions.</summary>
    public static EventFilter Subscription(string course, string student) =>
        EventFilter.Query(["CourseDefined", "StudentSubscribed"], [CourseTag(course)]).Or(EventFilter.Query(["StudentSubscribed"], [StudentTag(student)]));

    /// <summary>A definition goes to the course's stream; a subscription to a stream of its own, tagged with the course and the student.</summary>
    public static EventPlacement Place(CourseEvent e) => e switch
    {
        CourseDefined d => EventPlacement.In(StreamName.For("course", d.Course), CourseTag(d.Course)),
        StudentSubscribed s => EventPlacement.In(StreamName.For("subscription", $"{s.Course}-{s.Student}"), CourseTag(s.Course), StudentTag(s.Student)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "Not an event of the course subscriptions."),
    };

    public static TypeRegistry Registry() => new TypeRegistry()
        .Register<CourseDefined>("CourseDefined")
        .Register<StudentSubscribed>("StudentSubscribed");
}
