namespace Annals.Storage.Providers;

/// <summary>Guard clauses for names passed to store reads, so every backend rejects them alike.</summary>
public static class NameChecks
{
    /// <summary>Throws unless <paramref name="category"/> is a valid stream category.</summary>
    /// <param name="category">The category.</param>
    /// <exception cref="InvalidNameException">The category is malformed (<see cref="InvalidNameException.Kind"/> is <see cref="NameKind.Category"/>).</exception>
    public static void Category(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        var error = NameRules.CheckCategory(category);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Category, category, error);
        }
    }

    /// <summary>Throws unless <paramref name="consumer"/> is a valid consumer name.</summary>
    /// <param name="consumer">The name.</param>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    public static void Consumer(string consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var error = NameRules.CheckConsumerName(consumer);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Consumer, consumer, error);
        }
    }

    /// <summary>Throws unless <paramref name="queue"/> is a valid queue name.</summary>
    /// <param name="queue">The name.</param>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    public static void Queue(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var error = NameRules.CheckConsumerName(queue);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Queue, queue, error);
        }
    }

    /// <summary>Throws unless <paramref name="type"/> is a valid event, snapshot or state type name.</summary>
    /// <param name="type">The name.</param>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    public static void Type(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var error = NameRules.CheckEventType(type);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Type, type, error);
        }
    }

    /// <summary>Throws unless <paramref name="store"/> is a valid name of a store in a set of named stores.</summary>
    /// <param name="store">The name.</param>
    /// <remarks>
    /// A store's name is 1 to 63 characters of lowercase ASCII letters, digits and <c>_</c>, starting with a letter, and
    /// not a name PostgreSQL or Windows keeps for itself (<c>pg_</c>…, <c>information_schema</c>, <c>public</c>,
    /// <c>con</c>, <c>nul</c>, <c>com1</c>…): it is used unquoted as a PostgreSQL schema and as a file name.
    /// </remarks>
    /// <exception cref="InvalidNameException">The name is malformed (<see cref="InvalidNameException.Kind"/> is <see cref="NameKind.Store"/>).</exception>
    public static void Store(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var error = StoreNameRule.Check(store);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Store, store, error);
        }
    }

    /// <summary>Why <paramref name="store"/> cannot name a store, or <see langword="null"/> when it can (the rule of <see cref="Store"/>).</summary>
    /// <param name="store">The name.</param>
    /// <returns>The rule it breaks, or <see langword="null"/>.</returns>
    public static string? CheckStore(string? store) => store is null ? "the name is missing" : StoreNameRule.Check(store);
}
