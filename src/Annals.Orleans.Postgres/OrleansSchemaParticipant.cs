using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Annals.Orleans.Postgres;

/// <summary>
/// Makes sure Orleans' clustering tables exist when the silo starts, before anything of the silo reads them: membership
/// joins the cluster through them from <see cref="ServiceLifecycleStage.RuntimeGrainServices"/> on, and would fail on
/// a database where they are missing.
/// </summary>
internal sealed class OrleansSchemaParticipant(string connectionString, ILogger<OrleansSchemaParticipant> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Before the silo's runtime starts: nothing earlier touches the database.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 1;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrleansSchemaParticipant), Stage, EnsureCreatedAsync);

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var outcome = await OrleansPostgresSchema.EnsureCreatedAsync(connectionString, cancellationToken).ConfigureAwait(false);
        var server = OrleansPostgresSchema.Describe(new NpgsqlConnectionStringBuilder(connectionString));
        if (outcome.Created)
        {
            OrleansSchemaLog.Created(logger, outcome.Schema, server, string.Join(", ", outcome.AppliedScripts));
        }
        else
        {
            OrleansSchemaLog.Found(logger, outcome.Schema, server);
        }
    }
}
