namespace Annals.Cli.Tests;

/// <summary>Reads the rows of the tables the tool draws.</summary>
public static class Tables
{
    /// <summary>The data rows of a table: each line drawn with cell borders, split into trimmed cells, without the header.</summary>
    public static IReadOnlyList<string[]> Rows(string output) =>
        output.Split('\n')
            .Where(line => line.TrimStart().StartsWith('│'))
            .Select(line => line.Trim().Trim('│').Split('│').Select(cell => cell.Trim()).ToArray())
            .Skip(1)
            .ToList();

    /// <summary>The values of one column, by index, of every data row.</summary>
    public static IReadOnlyList<string> Column(string output, int index) => Rows(output).Select(r => r[index]).ToList();
}
