using System.Runtime.CompilerServices;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annals.Deciders;

/// <summary>A store that speaks in the application's own types: typed appends and reads, and the decider helpers (decide, evolve, watch).</summary>
/// <remarks>Works over any <see cref="IEventStore"/>; thread-safe as the store is.</remarks>
public sealed partial class TypedEventStore
{
    /// <summary>Makes a typed store over a store and a codec.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The type names, upcasters and serializer.</param>
    /// <param name="timeProvider">The clock for pauses between attempts and reconnects; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where lost races and exhausted decisions are logged; nowhere when <see langword="null"/>.</param>
    /// <param name="cache">How many folded states decisions keep between them (<see cref="DecisionCacheOptions.Default"/> when <see langword="null"/>; <see cref="DecisionCacheOptions.Disabled"/> for none). The cache belongs to this typed store alone, as its states belong to this store's streams.</param>
    public TypedEventStore(IEventStore store, EventCodec codec, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, DecisionCacheOptions? cache = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(codec);
        Store = store;
        Codec = codec;
        Time = timeProvider ?? TimeProvider.System;
        Logger = loggerFactory?.CreateLogger<TypedEventStore>() ?? (ILogger)NullLogger.Instance;
        Cache = new DecisionCache(cache ?? DecisionCacheOptions.Default);
    }

    /// <summary>Makes a typed store with System.Text.Json serialization.</summary>
    /// <param name="store">The store.</param>
    /// <param name="registry">The type names and upcasters.</param>
    /// <param name="timeProvider">The clock for pauses between attempts and reconnects; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cache">How many folded states decisions keep between them; <see cref="DecisionCacheOptions.Default"/> when <see langword="null"/>.</param>
    public TypedEventStore(IEventStore store, TypeRegistry registry, TimeProvider? timeProvider = null, DecisionCacheOptions? cache = null)
        : this(store, new EventCodec(registry), timeProvider, null, cache)
    {
    }

    /// <summary>The store underneath.</summary>
    public IEventStore Store { get; }

    /// <summary>The codec.</summary>
    public EventCodec Codec { get; }

    /// <summary>The clock the typed store waits on.</summary>
    public TimeProvider Time { get; }

    private ILogger Logger { get; }

    /// <summary>Appends objects to one stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before the append.</param>
    /// <param name="events">The objects, at least one; their types must be registered.</param>
    /// <param name="context">The command that caused them, for correlation and causation ids; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>Where the events were stored.</returns>
    /// <exception cref="UnregisteredTypeException">An object's type is not registered; nothing is stored.</exception>
    public ValueTask<AppendResult> AppendAsync(StreamName stream, ExpectedRevision expected, IEnumerable<object> events, MessageContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var encoded = events.Select(e => Codec.Encode(e, context)).ToList();
        return Store.AppendAsync(stream, expected, encoded, cancellationToken);
    }

    /// <summary>Reads a stream's events as objects, forward from a revision.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="fromRevision">The first revision to read.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The objects, each beside its stored event; an upcaster that splits an event yields several with the same record.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as an object; the error names its position.</exception>
    public async IAsyncEnumerable<TypedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in Store.ReadStreamAsync(stream, fromRevision, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var data in Codec.Decode(record))
            {
                yield return new TypedEvent(data, record);
            }
        }
    }

    /// <summary>Reads the global log as objects, after a position, through a filter.</summary>
    /// <param name="afterPosition">Read events after this position.</param>
    /// <param name="filter">The events to read; all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The objects, each beside its stored event.</returns>
    /// <exception cref="EventDecodingException">A stored event cannot be read as an object; the error names its position.</exception>
    public async IAsyncEnumerable<TypedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in Store.ReadAllAsync(afterPosition, filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var data in Codec.Decode(record))
            {
                yield return new TypedEvent(data, record);
            }
        }
    }

    /// <summary>Decodes a stored event into the events an evolver understands.</summary>
    private IReadOnlyList<object> DecodeFor<TEvent>(RecordedEvent record)
    {
        var decoded = Codec.Decode(record);
        foreach (var data in decoded)
        {
            if (data is not TEvent)
            {
                throw new EventDecodingException(record, $"it is a {data.GetType().Name}, which is not a {typeof(TEvent).Name}; narrow the filter or widen the event type.");
            }
        }

        return decoded;
    }

    private TState Fold<TState, TEvent>(IEvolver<TState, TEvent> evolver, TState state, RecordedEvent record)
    {
        foreach (var data in DecodeFor<TEvent>(record))
        {
            state = evolver.Evolve(state, (TEvent)data);
        }

        return state;
    }
}
