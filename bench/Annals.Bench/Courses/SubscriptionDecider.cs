using Annals.Deciders;

namespace Annals.Bench.Courses;

/// <summary>
/// Course subscriptions after the dcb.events example: a course holds at most its capacity, a student takes at most
/// <see cref="MaxCoursesPerStudent"/> courses. One decider per command, since the fold counts the subscriptions of its
/// own course and student; the typed store keys its cache by the query, which names both.
/// </summary>
internal sealed class SubscriptionDecider(string course, string student) : IDecider<SubscribeStudent, SubscriptionState, CourseEvent>
{
    public const int MaxCoursesPerStudent = 3;

    public SubscriptionState InitialState => SubscriptionState.Empty;

    /// <summary>
    /// A refusal (the course full, the student at the limit, the student subscribed already) decides nothing rather than
    /// throwing: refusals are common outcomes of the workload, and an exception each would measure the runtime's
    /// exception handling rather than the decision.
    /// </summary>
    public IEnumerable<CourseEvent> Decide(SubscribeStudent command, SubscriptionState state)
    {
        // Every course is defined before the first subscription, so an undefined one is a fault of the run.
        if (state.Capacity is not { } capacity)
        {
            throw new InvalidOperationException($"Course {command.Course} is not defined.");
        }

        return state.AlreadySubscribed || state.Subscribers >= capacity || state.StudentCourses >= MaxCoursesPerStudent
            ? []
            : [new StudentSubscribed(command.Course, command.Student)];
    }

    public SubscriptionState Evolve(SubscriptionState state, CourseEvent @event) => @event switch
    {
        CourseDefined d when d.Course == course => state with { Capacity = d.Capacity },
        StudentSubscribed s => state with
        {
            Subscribers = state.Subscribers + (s.Course == course ? 1 : 0),
            StudentCourses = state.StudentCourses + (s.Student == student ? 1 : 0),
            AlreadySubscribed = state.AlreadySubscribed || (s.Course == course && s.Student == student),
        },
        _ => state,
    };
}
