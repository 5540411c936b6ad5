using Annals.Storage;

namespace Annals.Deciders;

/// <summary>Where a decided event is stored: its stream, and the tags that put it in the queries of other decisions.</summary>
/// <param name="Stream">The stream it is appended to (with any expected revision: the decision's query is its guard).</param>
/// <param name="Tags">What it is about, e.g. <c>course:c1</c>, <c>student:s7</c>; none when <see langword="null"/>.</param>
public readonly record struct EventPlacement(StreamName Stream, IReadOnlyList<string>? Tags = null)
{
    /// <summary>An event in a stream, tagged.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="tags">The tags.</param>
    /// <returns>The placement.</returns>
    public static EventPlacement In(StreamName stream, params string[] tags) => new(stream, tags);
}
