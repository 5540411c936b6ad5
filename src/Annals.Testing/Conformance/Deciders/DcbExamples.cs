using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Testing.Conformance.Deciders;

/// <summary>Registers a user under a username; a username is taken once.</summary>
internal sealed record RegisterUser(string User, string Username);

/// <summary>A user was registered, tagged with the user and the username.</summary>
internal sealed record UserRegistered(string User, string Username);

/// <summary>The username is taken.</summary>
internal sealed class UsernameInUseException(string username) : Exception($"The username '{username}' is taken.");

/// <summary>Unique username: the boundary is the username's tag, so registrations of other usernames never conflict.</summary>
internal sealed class UniqueUsernameDecider : IDecider<RegisterUser, bool, UserRegistered>
{
    public bool InitialState => false;

    public static EventFilter Query(string username) => EventFilter.Query(["UserRegistered"], [$"username:{username}"]);

    public static EventPlacement Place(UserRegistered e) => EventPlacement.In(StreamName.For("user", e.User), $"user:{e.User}", $"username:{e.Username}");

    public IEnumerable<UserRegistered> Decide(RegisterUser command, bool taken) =>
        taken ? throw new UsernameInUseException(command.Username) : [new UserRegistered(command.User, command.Username)];

    public bool Evolve(bool taken, UserRegistered @event) => true;
}

/// <summary>Defines a course with a capacity.</summary>
internal sealed record DefineCourse(string Course, int Capacity);

/// <summary>Subscribes a student to a course.</summary>
internal sealed record SubscribeStudent(string Course, string Student);

/// <summary>A course was defined, tagged with the course.</summary>
internal sealed record CourseDefined(string Course, int Capacity);

/// <summary>A student subscribed to a course, tagged with both.</summary>
internal sealed record StudentSubscribed(string Course, string Student);

/// <summary>A subscription the rules refuse: the course is full, the student has too many courses, or the course is unknown.</summary>
internal sealed class SubscriptionRefusedException(string reason) : Exception(reason);

/// <summary>What a subscription decision sees: the course's capacity and subscribers, and the student's courses.</summary>
internal sealed record SubscriptionState(int? Capacity, int Subscribers, int StudentCourses, bool AlreadySubscribed);

/// <summary>
/// Course subscriptions: a course holds at most its capacity, a student takes at most <see cref="MaxCoursesPerStudent"/>
/// courses. The boundary is the course's tag or the student's tag: one decision, two streams of facts, no aggregate for either.
/// </summary>
internal sealed class SubscriptionDecider(string course, string student) : IDecider<SubscribeStudent, SubscriptionState, object>
{
    public const int MaxCoursesPerStudent = 3;

    public SubscriptionState InitialState => new(null, 0, 0, false);

    public static EventFilter Query(string course, string student) =>
        EventFilter.Query(["CourseDefined", "StudentSubscribed"], [$"course:{course}"]).Or(EventFilter.Query(["StudentSubscribed"], [$"student:{student}"]));

    public static EventPlacement Place(object e) => e switch
    {
        CourseDefined d => EventPlacement.In(StreamName.For("course", d.Course), $"course:{d.Course}"),
        StudentSubscribed s => EventPlacement.In(StreamName.For("subscription", $"{s.Course}-{s.Student}"), $"course:{s.Course}", $"student:{s.Student}"),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public IEnumerable<object> Decide(SubscribeStudent command, SubscriptionState state) =>
        state switch
        {
            { Capacity: null } => throw new SubscriptionRefusedException($"Course {command.Course} does not exist."),
            { AlreadySubscribed: true } => [],
            _ when state.Subscribers >= state.Capacity => throw new SubscriptionRefusedException($"Course {command.Course} is full."),
            _ when state.StudentCourses >= MaxCoursesPerStudent => throw new SubscriptionRefusedException($"Student {command.Student} takes {MaxCoursesPerStudent} courses already."),
            _ => [new StudentSubscribed(command.Course, command.Student)],
        };

    public SubscriptionState Evolve(SubscriptionState state, object @event) => @event switch
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

/// <summary>Creates the next invoice.</summary>
internal sealed record CreateInvoice(string Customer);

/// <summary>An invoice was created with its number, tagged with the number.</summary>
internal sealed record InvoiceCreated(long Number, string Customer);

/// <summary>Gap-free invoice numbers: each invoice takes the number after the last, decided over every invoice created.</summary>
internal sealed class InvoiceNumberDecider : IDecider<CreateInvoice, long, InvoiceCreated>
{
    public static EventFilter Query { get; } = EventFilter.ForTypes("InvoiceCreated");

    public long InitialState => 0;

    public static EventPlacement Place(InvoiceCreated e) => EventPlacement.In(StreamName.For("invoice", e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"customer:{e.Customer}");

    public IEnumerable<InvoiceCreated> Decide(CreateInvoice command, long last) => [new InvoiceCreated(last + 1, command.Customer)];

    public long Evolve(long last, InvoiceCreated @event) => Math.Max(last, @event.Number);
}

/// <summary>The registry of the dcb.events examples' types.</summary>
internal static class DcbTypes
{
    public static TypeRegistry Registry() => new TypeRegistry()
        .Register<UserRegistered>("UserRegistered")
        .Register<CourseDefined>("CourseDefined")
        .Register<StudentSubscribed>("StudentSubscribed")
        .Register<InvoiceCreated>("InvoiceCreated");
}

/// <summary>Defines a course once; defining it again changes nothing.</summary>
internal sealed class DefineCourseDecider : IDecider<DefineCourse, bool, CourseDefined>
{
    public bool InitialState => false;

    public static EventFilter Query(string course) => EventFilter.Query(["CourseDefined"], [$"course:{course}"]);

    public IEnumerable<CourseDefined> Decide(DefineCourse command, bool defined) => defined ? [] : [new CourseDefined(command.Course, command.Capacity)];

    public bool Evolve(bool defined, CourseDefined @event) => true;
}
