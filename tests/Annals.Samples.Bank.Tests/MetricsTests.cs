using System.Net;

namespace Annals.Samples.Bank.Tests;

/// <summary>/metrics serves Prometheus text with the store's instruments.</summary>
public sealed class MetricsTests(BankFactory factory) : IClassFixture<BankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task Metrics_show_the_store_commits_after_a_request()
    {
        await _bank.OpenAsync(BankClient.NewId("ned"), "Ned", deposit: 7);

        var response = await _bank.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE annals_store_commits", text);
        Assert.Contains("annals_store_commits", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }
}
