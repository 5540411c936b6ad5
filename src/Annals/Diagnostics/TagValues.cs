namespace Annals.Diagnostics;

/// <summary>Boxed small counts for span tags, made once: a tag on every commit should not cost an allocation each.</summary>
internal static class TagValues
{
    private static readonly object[] Small = [.. Enumerable.Range(0, 1025).Select(static i => (object)i)];

    public static object Of(int value) => (uint)value < (uint)Small.Length ? Small[value] : value;
}
