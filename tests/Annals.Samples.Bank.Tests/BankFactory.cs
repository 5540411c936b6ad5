using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Annals.Samples.Bank.Tests;

/// <summary>
/// The bank on a SQLite file of its own in the temp folder (removed on dispose), so test classes run in parallel
/// safely; a subclass may choose the in-memory backend or add services (telemetry exporters, projections).
/// </summary>
public class BankFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"annals-bank-tests-{Guid.NewGuid():N}");

    public BankFactory()
    {
        Directory.CreateDirectory(_directory);
    }

    public string DatabasePath => Path.Combine(_directory, "bank.db");

    /// <summary>The backend the bank runs on: "Sqlite" (default) or "InMemory".</summary>
    protected virtual string Backend => "Sqlite";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Annals:Backend", Backend);
        builder.UseSetting("Annals:Sqlite:Path", DatabasePath);

        // The tests' own bounds: a request never waits long for an answer that is not coming.
        builder.UseSetting("Bank:SettlementWait", "00:00:10");
        builder.UseSetting("Bank:ReadWait", "00:00:10");
        builder.ConfigureServices(ConfigureServices);
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the temp folder's cleaning.
        }
    }
}

/// <summary>The bank on the in-memory store.</summary>
public sealed class InMemoryBankFactory : BankFactory
{
    protected override string Backend => "InMemory";
}
