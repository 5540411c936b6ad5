using Annals.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Annals.Hosting.Tests;

/// <summary>Real generic hosts for the tests, isolated from the machine's environment variables and files.</summary>
public static class TestHosts
{
    /// <summary>How long any wait of a test may take before it fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static HostApplicationBuilder Builder(IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        return builder;
    }

    public static IHost Build(Action<IServiceCollection> configure, IDictionary<string, string?>? configuration = null)
    {
        var builder = Builder(configuration);
        configure(builder.Services);
        return builder.Build();
    }

    public static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    public static string NewSqlitePath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "annals-hosting-tests");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    public static EventData Event(string type = "noted") => new(Guid.NewGuid(), type, "{}"u8.ToArray());
}
