namespace Annals.Storage;

/// <summary>The kinds of names Annals validates.</summary>
public enum NameKind
{
    /// <summary>A stream name, <c>category.id</c>; also the key of durable state.</summary>
    Stream,

    /// <summary>A stream category, the part of a stream name before the dot.</summary>
    Category,

    /// <summary>An event, snapshot or state type name.</summary>
    Type,

    /// <summary>A consumer's name, under which its checkpoint is stored.</summary>
    Consumer,

    /// <summary>A queue's name.</summary>
    Queue,

    /// <summary>The name of a store in a set of named stores (<see cref="IEventStoreProvider"/>).</summary>
    Store,

    /// <summary>A tag of an event (<c>course:c1</c>), which tag queries match.</summary>
    Tag,
}
