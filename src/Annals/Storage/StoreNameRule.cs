namespace Annals.Storage;

/// <summary>
/// The rule of a store's name, one for every backend: a name must be usable, unquoted, as a PostgreSQL schema
/// and as a file name on every operating system, so that a store moves between backends under the same name.
/// </summary>
internal static class StoreNameRule
{
    /// <summary>The longest name: PostgreSQL truncates identifiers beyond 63 bytes.</summary>
    public const int MaxLength = 63;

    // Windows refuses these as file names, with or without an extension.
    private static readonly HashSet<string> DeviceNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    /// <summary>Why <paramref name="name"/> cannot name a store, or <see langword="null"/> when it can.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"the name is {name.Length} characters long; at most {MaxLength} are allowed";
        }

        if (name[0] is not (>= 'a' and <= 'z'))
        {
            return $"the name starts with '{Printable(name[0])}'; it must start with a lowercase letter a-z";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return $"the name contains '{Printable(c)}'; only lowercase letters a-z, digits and '_' are allowed";
            }
        }

        // PostgreSQL keeps these schemas for itself, and 'public' usually holds an application's own tables,
        // which deleting the store would drop with it.
        if (name.StartsWith("pg_", StringComparison.Ordinal) || name is "information_schema" or "public")
        {
            return "it is reserved: PostgreSQL keeps names starting with 'pg_', 'information_schema' and 'public' for itself";
        }

        return DeviceNames.Contains(name) ? "it is reserved: Windows refuses it as a file name" : null;
    }

    /// <summary>A character as it can be shown in a message: anything but printable ASCII as its code.</summary>
    private static string Printable(char c) => c is >= '!' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}";
}
