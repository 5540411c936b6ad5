using System.Globalization;
using Annals.Storage;

namespace Annals.Bench.Data;

/// <summary>The streams a run writes: <c>bench.w{writer}-{k}</c> for appends, <c>bench.s{k}</c> for prepared stores, <c>account.s{k}</c> for deciders.</summary>
internal static class StreamNames
{
    public static StreamName Writer(int writer, int k) =>
        StreamName.For("bench", string.Create(CultureInfo.InvariantCulture, $"w{writer}-{k}"));

    public static StreamName Prepared(int k) =>
        StreamName.For("bench", string.Create(CultureInfo.InvariantCulture, $"s{k}"));

    public static StreamName Account(int k) =>
        StreamName.For("account", string.Create(CultureInfo.InvariantCulture, $"s{k}"));
}
