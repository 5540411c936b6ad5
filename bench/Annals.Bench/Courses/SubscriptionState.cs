namespace Annals.Bench.Courses;

/// <summary>What a subscription decision sees: the course's capacity and subscribers, and the student's courses.</summary>
/// <param name="Capacity">The course's capacity; <see langword="null"/> until its definition is folded.</param>
/// <param name="Subscribers">The course's subscriptions.</param>
/// <param name="StudentCourses">The student's subscriptions, to any course.</param>
/// <param name="AlreadySubscribed">Whether the student takes this course already.</param>
internal sealed record SubscriptionState(int? Capacity, int Subscribers, int StudentCourses, bool AlreadySubscribed)
{
    public static SubscriptionState Empty { get; } = new(null, 0, 0, false);
}
