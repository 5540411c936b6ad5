using System.Text;
using Annals.Storage;

namespace Annals.Testing.Conformance;

/// <summary>Random events with random tags and types, and random queries over the same small vocabulary, so that queries often match.</summary>
internal static class TagWorld
{
    public static readonly string[] Tags = ["course:c1", "course:c2", "course:c3", "student:s1", "student:s2", "student:s3", "username:ada", "region:eu", "x.y*z>"];
    public static readonly string[] Types = ["Enrolled", "Left", "Registered", "Renamed"];
    public static readonly string[] Streams = ["course.c1", "course.c2", "student.s1", "student.s2", "misc.m"];

    /// <summary>Appends <paramref name="count"/> random events in batches of 1–6, to random streams.</summary>
    public static async Task FillAsync(IEventStore store, Random random, int count)
    {
        var written = 0;
        while (written < count)
        {
            var n = Math.Min(random.Next(1, 7), count - written);
            var events = new EventData[n];
            for (var i = 0; i < n; i++)
            {
                var tags = Tags.OrderBy(_ => random.Next()).Take(random.Next(0, 5)).ToArray();
                events[i] = new EventData(Guid.NewGuid(), Types[random.Next(Types.Length)], Encoding.UTF8.GetBytes($$"""{"n":{{written + i}}}"""), null, tags);
            }

            await store.AppendAsync(StreamName.Parse(Streams[random.Next(Streams.Length)]), ExpectedRevision.Any, events);
            written += n;
        }
    }

    /// <summary>A query of 1–3 tag items, sometimes with another kind of filter part.</summary>
    public static EventFilter RandomQuery(Random random)
    {
        var filter = RandomItem(random);
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            filter = filter.Or(RandomItem(random));
        }

        return random.Next(6) switch
        {
            0 => filter.Or(EventFilter.ForStreams(StreamName.Parse(Streams[random.Next(Streams.Length)]))),
            1 => filter.Or(EventFilter.ForCategories("misc")),
            2 => filter.Or(EventFilter.ForTypes(Types[random.Next(Types.Length)])),
            3 => filter.Or(EventFilter.Subjects($"*.*.{Types[random.Next(Types.Length)]}", "course.*.Left")),
            _ => filter,
        };
    }

    private static EventFilter RandomItem(Random random)
    {
        var tags = Tags.OrderBy(_ => random.Next()).Take(random.Next(1, 3));
        var types = Types.OrderBy(_ => random.Next()).Take(random.Next(0, 3));
        return EventFilter.Query(types, tags);
    }
}
