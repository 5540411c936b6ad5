using System.Net;
using System.Net.Http.Json;
using Annals.Processes;
using Annals.Projections;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Processes;
using Annals.Samples.Bank.Projections;
using Annals.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Annals.Samples.Bank.Tests;

/// <summary>The bank's HTTP API as the tests use it, and the services behind it.</summary>
public sealed class BankClient(BankFactory factory)
{
    /// <summary>How long a test waits for anything: a projection, a span. Generous for a loaded machine; never a fixed pause.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public HttpClient Http { get; } = factory.CreateClient();

    public IEventStore Store => factory.Services.GetRequiredService<IEventStore>();

    public ProjectionHost Projections => factory.Services.GetRequiredService<ProjectionHost>();

    public ProcessHost Processes => factory.Services.GetRequiredService<ProcessHost>();

    public static string NewId(string name) => $"{name}-{Guid.NewGuid():N}"[..24];

    public async Task<AccountResponse> OpenAsync(string id, string owner, long deposit = 0)
    {
        var response = await Http.PostAsJsonAsync("/accounts", new OpenAccountRequest(id, owner));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var opened = (await response.Content.ReadFromJsonAsync<AccountResponse>())!;
        return deposit == 0 ? opened : await DepositAsync(id, deposit);
    }

    public async Task<AccountResponse> DepositAsync(string id, long amount)
    {
        var response = await PostAsync($"/accounts/{id}/deposits", new AmountRequest(amount));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AccountResponse>())!;
    }

    public Task<HttpResponseMessage> PostAsync<T>(string path, T body) => Http.PostAsJsonAsync(path, body);

    public static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        return problem;
    }

    /// <summary>Waits, bounded, until a projection has handled the log up to a position.</summary>
    public Task WaitForProjectionAsync(string projection, long position) =>
        Projections.WaitForPositionAsync(projection, position).WaitAsync(Patience);

    /// <summary>Waits, bounded, until the transfer process has handled the log up to a position (its commands may still be on their way).</summary>
    public Task WaitForProcessAsync(long position) =>
        Processes.WaitForPositionAsync(TransferProcess.Name, position).WaitAsync(Patience);

    /// <summary>
    /// Waits until every transfer stored so far is credited (or its credit parked) and the balances include the whole log:
    /// the transfer process has handled the log as it is and delivered every command it stored, and nothing was appended meanwhile.
    /// </summary>
    public async Task WaitForAllProjectionsAsync()
    {
        await Eventually.ReturnsAsync(
            async () =>
            {
                var head = await Store.GetHeadPositionAsync();
                await WaitForProcessAsync(head);
                var status = await Processes.GetStatusAsync(TransferProcess.Name);
                return (Head: head, status.PendingCommands, Unchanged: await Store.GetHeadPositionAsync() == head);
            },
            settled => settled.PendingCommands == 0 && settled.Unchanged,
            "every command of the transfer process delivered");

        await WaitForProjectionAsync(BalancesProjection.Name, await Store.GetHeadPositionAsync());
    }

    public async Task<AccountBalance?> BalanceAsync(string id)
    {
        var response = await Http.GetAsync($"/accounts/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AccountBalance>())!;
    }

    /// <summary>The types of a stream's events, read back from the store.</summary>
    public async Task<List<string>> StreamTypesAsync(string id)
    {
        var types = new List<string>();
        await foreach (var e in Store.ReadStreamAsync(StreamName.For("account", id)))
        {
            types.Add(e.Type);
        }

        return types;
    }
}
