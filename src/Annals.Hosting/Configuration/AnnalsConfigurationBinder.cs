using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Annals.Hosting;

/// <summary>
/// Binds each store's configuration section over what the code set: a post-configuration, so configuration wins
/// whatever the order of the calls. Without an <see cref="IConfiguration"/> in the container, the code's values stand.
/// </summary>
internal sealed class AnnalsConfigurationBinder(IServiceProvider services, StoreSetups setups) : IPostConfigureOptions<AnnalsOptions>
{
    public void PostConfigure(string? name, AnnalsOptions options)
    {
        name ??= StoreNames.Default;
        if (!setups.TryGet(name, out _) || services.GetService<IConfiguration>() is not { } configuration)
        {
            return;
        }

        var section = configuration.GetSection(StoreNames.Section(name));
        if (!section.Exists())
        {
            return;
        }

        section.Bind(options);

        // A connection string from configuration replaces a data source from code: exactly one of them may be set.
        if (!string.IsNullOrWhiteSpace(section["Postgres:ConnectionString"]))
        {
            options.Postgres.DataSource = null;
        }

        // Likewise a URL from configuration replaces a connection from code.
        if (!string.IsNullOrWhiteSpace(section["Nats:Url"]))
        {
            options.Nats.Connection = null;
        }
    }
}
