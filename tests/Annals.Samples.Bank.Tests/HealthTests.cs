using System.Net;
using Annals.Projections;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Annals.Samples.Bank.Tests;

/// <summary>/health: Healthy while the store answers and every projection and process runs; Unhealthy once a projection has faulted.</summary>
public sealed class HealthTests(HealthTests.FaultingProjectionFactory factory) : IClassFixture<HealthTests.FaultingProjectionFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task Health_is_healthy_and_turns_unhealthy_when_a_projection_faults()
    {
        // Healthy once every projection is live (catching up at start reads as Degraded).
        var healthy = await Eventually.ReturnsAsync(Health, r => r.Body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), "Healthy");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Contains("annals:projection:balances", healthy.Body);
        Assert.Contains("\"annals:processes\"", healthy.Body);
        Assert.DoesNotContain("transfer-settlement", healthy.Body);
        Assert.Contains($"annals:projection:{FailingProjection.Name}", healthy.Body);

        // The failing projection follows deposits only: the first one faults it.
        var id = BankClient.NewId("mia");
        await _bank.OpenAsync(id, "Mia", deposit: 1);

        var unhealthy = await Eventually.ReturnsAsync(Health, r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "Unhealthy");
        Assert.Contains("\"status\":\"Unhealthy\"", unhealthy.Body);
        Assert.Contains("This projection fails on purpose.", unhealthy.Body);

        var status = await _bank.Projections.GetStatusAsync(FailingProjection.Name);
        Assert.Equal(ProjectionState.Faulted, status.State);
    }

    private async Task<(HttpStatusCode StatusCode, string Body)> Health()
    {
        var response = await _bank.Http.GetAsync("/health");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The bank with one more projection, which throws on every deposit and stops on its first failure.</summary>
    public sealed class FaultingProjectionFactory : BankFactory
    {
        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddAnnals(annals => annals.AddProjection<FailingProjection>(FailingProjection.Name, FailingProjection.Options));
    }

    public sealed class FailingProjection : IProjection
    {
        public const string Name = "failing-for-the-test";

        public static ProjectionOptions Options { get; } = new()
        {
            Filter = EventFilter.Subjects("account.*.MoneyDeposited"),
            MaxRetries = 0,
            OnFailure = FailurePolicy.Stop,
        };

        public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("This projection fails on purpose.");
    }
}
