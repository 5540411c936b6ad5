namespace Annals.Hosting;

/// <summary>How a store's name maps to its configuration section and its health checks' names.</summary>
internal static class StoreNames
{
    /// <summary>The name of the default store, which is registered without a key; also its named options' name.</summary>
    public const string Default = "";

    public static bool IsDefault(string name) => name.Length == 0;

    /// <summary>The configuration section of a store: <c>Annals</c>, or <c>Annals:Stores:&lt;name&gt;</c>.</summary>
    public static string Section(string name) => IsDefault(name) ? AnnalsOptions.SectionName : $"{AnnalsOptions.SectionName}:Stores:{name}";

    /// <summary>How a store is called in messages.</summary>
    public static string Describe(string name) => IsDefault(name) ? "the default Annals store" : $"Annals store '{name}'";

    /// <summary>A store's name as given to <c>AddAnnals</c>: not empty, and without the ':' that separates configuration keys.</summary>
    public static void Check(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A store's name cannot contain ':', which separates configuration keys: '{name}'.", nameof(name));
        }
    }
}
