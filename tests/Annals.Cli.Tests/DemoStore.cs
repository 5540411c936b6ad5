namespace Annals.Cli.Tests;

/// <summary>A temp folder with the demo's store written to it.</summary>
public static class DemoStore
{
    public static async Task<string> CreateAsync(TempFolder folder)
    {
        var db = folder.File("bank.db");
        (await Cli.RunAsync("demo", "--db", db)).AssertSuccess();
        return db;
    }
}
