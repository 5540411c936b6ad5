namespace Annals.Deciders;

/// <summary>
/// What a cached state was folded from and how: one stream (by name) or one filter (by its text), the state's type, and the
/// decider's fold. Two deciders share a state only when they fold alike: instances of one decider class, or deciders made by
/// <see cref="Decider.Create"/> with the same evolve function.
/// </summary>
internal readonly record struct StateKey(string Source, bool OverFilter, Type StateType, object Fold)
{
    public static StateKey ForStream<TState>(Storage.StreamName stream, object decider) => new(stream.Value, false, typeof(TState), FoldOf(decider));

    public static StateKey ForFilter<TState>(Storage.EventFilter filter, object decider) => new(filter.ToString(), true, typeof(TState), FoldOf(decider));

    // A decider's class says how it folds; deciders made of functions are one class, so their evolve function says it.
    private static object FoldOf(object decider) => decider switch
    {
        IFoldIdentity known => known.FoldIdentity,
        _ => decider.GetType(),
    };
}

/// <summary>A decider that stands for another one's fold (an adapter), or whose fold is not told by its class alone.</summary>
internal interface IFoldIdentity
{
    /// <summary>Equal for deciders that fold alike.</summary>
    object FoldIdentity { get; }
}
