namespace Annals.Cli.Rendering;

/// <summary>Quotes an argument for a POSIX shell when it needs it, so suggested commands can be pasted.</summary>
internal static class ShellText
{
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-' or ':' or ',' or '@' or '+' or '='))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
