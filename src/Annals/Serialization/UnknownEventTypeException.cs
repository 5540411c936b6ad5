using Annals.Storage;

namespace Annals.Serialization;

/// <summary>A stored event's type name is not in the type registry.</summary>
public sealed class UnknownEventTypeException : EventDecodingException
{
    /// <summary>Makes the error.</summary>
    /// <param name="record">The stored event.</param>
    /// <param name="typeName">The unknown name (after upcasting, which may rename).</param>
    public UnknownEventTypeException(RecordedEvent record, string typeName)
        : base(record, $"no type is registered under the name '{typeName}'.")
    {
        TypeName = typeName;
    }

    /// <summary>The unknown name.</summary>
    public string TypeName { get; }
}
