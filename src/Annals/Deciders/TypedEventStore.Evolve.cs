using Annals.Serialization;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    /// <summary>Folds the events of the global log (through a filter, between two positions) into a model, from its initial state.</summary>
    /// <typeparam name="TState">The model.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="evolver">How events change the model.</param>
    /// <param name="options">Filter, after and stop positions; every event when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The model and the position of the last event folded in.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    public Task<EvolveResult<TState>> EvolveAsync<TState, TEvent>(IEvolver<TState, TEvent> evolver, EvolveOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evolver);
        return EvolveAsync(evolver, evolver.InitialState, options, cancellationToken);
    }

    /// <summary>Folds the events of the global log (through a filter, between two positions) into a model the caller already holds.</summary>
    /// <typeparam name="TState">The model.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="evolver">How events change the model.</param>
    /// <param name="state">The model as it is at <see cref="EvolveOptions.AfterPosition"/>.</param>
    /// <param name="options">Filter, after and stop positions; every event when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The model and the position of the last event folded in.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as a <typeparamref name="TEvent"/>.</exception>
    public async Task<EvolveResult<TState>> EvolveAsync<TState, TEvent>(IEvolver<TState, TEvent> evolver, TState state, EvolveOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evolver);
        options ??= EvolveOptions.Default;
        options.Validate();
        var position = options.AfterPosition;
        var stop = options.StopPosition ?? long.MaxValue;
        long count = 0;
        if (position >= stop)
        {
            return new EvolveResult<TState>(state, position, 0);
        }

        await foreach (var record in Store.ReadAllAsync(position, options.Filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (record.Position > stop)
            {
                break;
            }

            state = Fold(evolver, state, record);
            position = record.Position;
            count++;
        }

        return new EvolveResult<TState>(state, position, count);
    }
}
