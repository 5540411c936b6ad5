using System.CommandLine;
using Annals.Storage;

namespace Annals.Cli.Commands;

/// <summary>Options several commands share, with their validation.</summary>
internal static class CommonOptions
{
    /// <summary>How many events <c>read</c> and <c>read-all</c> show when <c>--max</c> is not given.</summary>
    public const int DefaultMax = 100;

    public static Option<string?> Filter() => new("--filter", "-f")
    {
        Description = "Only events whose subject (category.id.type) matches one of these comma-separated patterns, e.g. 'account.>,*.*.Deposited'.",
        HelpName = "patterns",
    };

    public static Option<bool> Metadata() => new("--metadata", "-m")
    {
        Description = "Also show each event's metadata: correlation and causation ids, schema version, and whatever else the writer added.",
    };

    public static Option<int> Max() => NonNegative(new Option<int>("--max", "-n")
    {
        Description = "The most events to show.",
        HelpName = "count",
        DefaultValueFactory = _ => DefaultMax,
    });

    public static Option<T> NonNegative<T>(Option<T> option)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value is long and < 0 or int and < 0)
            {
                result.AddError($"{option.Name} must be 0 or more, not {value}.");
            }
        });
        return option;
    }

    public static EventFilter? ParseFilter(string? text) => text is null ? null : EventFilter.Parse(text);

    /// <summary>Asks for one event more than will be shown, to tell whether more follow.</summary>
    public static int ReadLimit(int max) => max == int.MaxValue ? max : max + 1;
}
