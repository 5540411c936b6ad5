using Annals.Serialization;
using Annals.Storage;

namespace Annals.Testing.Deciders;

/// <summary>Sends an event through a codec and back, as a store would, so a specification catches unregistered or unserializable events.</summary>
internal static class SpecCodec
{
    public static TEvent RoundTrip<TEvent>(EventCodec codec, TEvent @event, string role)
    {
        ArgumentNullException.ThrowIfNull(@event);
        EventData encoded;
        try
        {
            encoded = codec.Encode(@event);
        }
        catch (AnnalsException e)
        {
            throw new SpecFailedException($"The {role} event {SpecText.Describe(@event)} cannot be stored: {e.Message}");
        }

        var record = new RecordedEvent(encoded.EventId, StreamName.Parse("spec.1"), 0, 1, encoded.Type, encoded.Data, encoded.Metadata, DateTimeOffset.UnixEpoch);
        var decoded = codec.Decode(record);
        if (decoded.Count != 1 || decoded[0] is not TEvent back || !SpecText.Same(@event, back))
        {
            var read = string.Join(", ", decoded.Select(SpecText.Describe));
            throw new SpecFailedException($"The {role} event {SpecText.Describe(@event)} does not survive storage: it reads back as {read}.");
        }

        return back;
    }
}
