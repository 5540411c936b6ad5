namespace Annals.Bench.Courses;

/// <summary>Defines a course with a capacity; defining it again changes nothing.</summary>
internal sealed record DefineCourse(string Course, int Capacity);

/// <summary>Subscribes a student to a course.</summary>
internal sealed record SubscribeStudent(string Course, string Student);
