namespace Annals.Bench.Courses;

/// <summary>The events of the <c>decide-dcb</c> workload: a closed set of two, both about a course.</summary>
internal abstract record CourseEvent(string Course);

/// <summary>A course was defined with its capacity; tagged with the course.</summary>
internal sealed record CourseDefined(string Course, int Capacity) : CourseEvent(Course);

/// <summary>A student subscribed to a course; tagged with both, so the course's and the student's queries see it.</summary>
internal sealed record StudentSubscribed(string Course, string Student) : CourseEvent(Course);
