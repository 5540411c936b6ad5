using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Annals.Postgres;

/// <summary>
/// The advisory lock key of a store's schema: the first 8 bytes of the SHA-256 of the UTF-8 of <c>annals.store:</c>
/// followed by the schema name, read big-endian as a signed 64-bit integer. Stable across processes, machines and
/// releases, which <c>string.GetHashCode</c> is not; <c>pg_locks</c> shows it as <c>classid</c> (its high 32 bits),
/// <c>objid</c> (its low 32 bits) and <c>objsubid</c> 1.
/// </summary>
internal static class PostgresLockKey
{
    public static long Of(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("annals.store:" + schema)));

    /// <summary>The key's high 32 bits, as <c>pg_locks.classid</c> shows them.</summary>
    public static long ClassId(long key) => (long)((ulong)key >> 32);

    /// <summary>The key's low 32 bits, as <c>pg_locks.objid</c> shows them.</summary>
    public static long ObjectId(long key) => (long)((ulong)key & 0xFFFF_FFFF);
}
