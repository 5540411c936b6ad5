namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>Starts a model kept current by a subscription: it catches up with the log through the filter, then follows new events as they are committed.</summary>
    /// <typeparam name="TState">The model.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="evolver">How events change the model; runs on the watcher's own task, one event at a time.</param>
    /// <param name="options">Filter, starting position, error handling; every event from the start when <see langword="null"/>.</param>
    /// <returns>The watcher; dispose it to stop.</returns>
    public Watcher<TState> Watch<TState, TEvent>(IEvolver<TState, TEvent> evolver, WatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evolver);
        return Watch(evolver, evolver.InitialState, options);
    }

    /// <summary>Starts a model kept current by a subscription, from a state the caller already holds at <see cref="WatchOptions.AfterPosition"/>.</summary>
    /// <typeparam name="TState">The model.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="evolver">How events change the model; runs on the watcher's own task, one event at a time.</param>
    /// <param name="state">The model as it is at the starting position.</param>
    /// <param name="options">Filter, starting position, error handling; every event from the start when <see langword="null"/>.</param>
    /// <returns>The watcher; dispose it to stop.</returns>
    public Watcher<TState> Watch<TState, TEvent>(IEvolver<TState, TEvent> evolver, TState state, WatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evolver);
        options ??= WatchOptions.Default;
        options.Validate();
        return new Watcher<TState>(this, state, (s, record) => Fold(evolver, s, record), options);
    }
}
