using System.Net;
using Annals.InMemory;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Projections;

namespace Annals.Samples.Bank.Tests;

/// <summary>The same bank on the in-memory store, chosen by configuration alone.</summary>
public sealed class InMemoryBackendTests(InMemoryBankFactory factory) : IClassFixture<InMemoryBankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task The_bank_runs_on_the_in_memory_store()
    {
        Assert.IsType<InMemoryEventStore>(_bank.Store);
        Assert.False(File.Exists(factory.DatabasePath));

        var from = BankClient.NewId("kim");
        var to = BankClient.NewId("lee");
        await _bank.OpenAsync(from, "Kim", deposit: 80);
        await _bank.OpenAsync(to, "Lee");
        var response = await _bank.PostAsync("/transfers", new TransferRequest(from, to, 30, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(["AccountOpened", "TransferReceived"], await _bank.StreamTypesAsync(to));
        await _bank.WaitForAllProjectionsAsync();
        Assert.Equal(50, (await _bank.BalanceAsync(from))!.Balance);
        Assert.Equal(30, (await _bank.BalanceAsync(to))!.Balance);
        Assert.Contains(BalancesProjection.Name, _bank.Projections.Projections);
    }
}
