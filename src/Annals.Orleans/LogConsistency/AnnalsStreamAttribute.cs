namespace Annals.Orleans.LogConsistency;

/// <summary>
/// Names the stream category of a journaled grain class stored by the Annals log-consistency provider: each grain's
/// events go to the stream <c>category.id</c>, the id encoding the grain's key. Without it the category is the grain type.
/// </summary>
/// <remarks>Two grain classes with the same category and keys of the same text share streams: give each its own.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class AnnalsStreamAttribute : Attribute
{
    /// <summary>Names the category.</summary>
    /// <param name="category">1–64 characters of <c>[A-Za-z0-9_-]</c>, for example <c>account</c>.</param>
    public AnnalsStreamAttribute(string category)
    {
        Category = category;
    }

    /// <summary>The stream category.</summary>
    public string Category { get; }
}
