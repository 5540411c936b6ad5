using System.Globalization;
using System.Text;
using Annals.Storage;

namespace Annals.Bench.Data;

/// <summary>Events shaped like an application's: a type from a small set and 100–200 bytes of JSON.</summary>
internal static class Payloads
{
    private const string Filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore";

    private static readonly string[] Types = ["Deposited", "Withdrawn", "Noted"];

    public static EventData Next(Random random)
    {
        var account = random.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var amount = (random.Next(1, 10_000_000) / 100.0).ToString(CultureInfo.InvariantCulture);
        var note = Filler[..random.Next(0, 90)];
        var json = $$"""{"account":"acc-{{account}}","amount":{{amount}},"currency":"EUR","reference":"{{Guid.NewGuid():N}}","note":"{{note}}"}""";
        return new EventData(Guid.NewGuid(), Types[random.Next(Types.Length)], Encoding.UTF8.GetBytes(json));
    }

    public static EventData[] Many(Random random, int count)
    {
        var events = new EventData[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Next(random);
        }

        return events;
    }
}
