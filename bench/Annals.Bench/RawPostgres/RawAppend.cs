using Annals.Storage;

namespace Annals.Bench.RawPostgres;

/// <summary>Events of one stream, written at consecutive revisions and consecutive positions.</summary>
internal sealed record RawAppend(string Stream, long FirstRevision, long FirstPosition, EventData[] Events);
