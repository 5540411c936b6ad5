using System.Globalization;

namespace Annals.Cli.Rendering;

/// <summary>Writes a number of bytes for people: <c>40.0 KiB (40960 bytes)</c>.</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        var exact = string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
        if (bytes < 1024)
        {
            return exact;
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]} ({exact})");
    }
}
