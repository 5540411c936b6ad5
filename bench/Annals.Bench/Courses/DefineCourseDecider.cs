using Annals.Deciders;

namespace Annals.Bench.Courses;

/// <summary>Defines a course once: a course already defined (a reused <c>--db</c>) keeps its definition.</summary>
internal sealed class DefineCourseDecider : IDecider<DefineCourse, bool, CourseEvent>
{
    public static DefineCourseDecider Instance { get; } = new();

    public bool InitialState => false;

    public IEnumerable<CourseEvent> Decide(DefineCourse command, bool defined) => defined ? [] : [new CourseDefined(command.Course, command.Capacity)];

    public bool Evolve(bool defined, CourseEvent @event) => defined || @event is CourseDefined;
}
