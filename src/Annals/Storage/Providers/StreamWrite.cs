namespace Annals.Storage.Providers;

/// <summary>A stream as a group of batches leaves it.</summary>
/// <param name="Head">The stream's head after the group.</param>
/// <param name="AppendedOnly">
/// Whether the group only appended to a stream that existed before it: the first revision and the deleted flag are
/// unchanged, and only the last revision and position moved on. A store that reads those from the stream's newest
/// event need not write the stream's row then; one that keeps them in the row writes it all the same.
/// </param>
public readonly record struct StreamWrite(StreamHead Head, bool AppendedOnly);
