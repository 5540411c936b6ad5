using System.Net;
using System.Net.Http.Json;
using Annals.Samples.Bank.Domain;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Projections;
using Annals.Storage;
using Annals.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Annals.Samples.Bank.Tests;

/// <summary>Transfers racing on the same accounts neither lose nor create money.</summary>
public sealed class ConcurrentTransferTests(BankFactory factory) : IClassFixture<BankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task Twenty_parallel_transfers_between_three_accounts_conserve_the_money()
    {
        string[] accounts = [BankClient.NewId("a"), BankClient.NewId("b"), BankClient.NewId("c")];
        foreach (var account in accounts)
        {
            await _bank.OpenAsync(account, account, deposit: 100);
        }

        // Each transfer moves more than a third of an account's opening balance: some must be refused as overdrafts.
        var requests = Enumerable.Range(0, 20)
            .Select(i => new TransferRequest(accounts[i % 3], accounts[(i + 1 + (i / 3 % 2)) % 3], 35 + (i % 4), $"race-{i}-{Guid.NewGuid():N}"))
            .ToList();
        var responses = await Task.WhenAll(requests.Select(r => _bank.PostAsync("/transfers", r)));

        var moved = new List<TransferRequest>();
        for (var i = 0; i < responses.Length; i++)
        {
            Assert.True(
                responses[i].StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.UnprocessableEntity,
                $"transfer {i}: {responses[i].StatusCode} {await responses[i].Content.ReadAsStringAsync()}");
            if (responses[i].StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted)
            {
                moved.Add(requests[i]);
            }
        }

        Assert.NotEmpty(moved);
        await _bank.WaitForAllProjectionsAsync();

        // The store: one debit and one credit for each transfer that was accepted, none for the others.
        var codec = factory.Services.GetRequiredService<EventCodec>();
        var sent = new List<TransferSent>();
        var received = new List<TransferReceived>();
        foreach (var account in accounts)
        {
            await foreach (var e in _bank.Store.ReadStreamAsync(StreamName.For("account", account)))
            {
                sent.AddRange(codec.Decode(e).OfType<TransferSent>());
                received.AddRange(codec.Decode(e).OfType<TransferReceived>());
            }
        }

        Assert.Equal(moved.Select(m => m.TransferId).Order(), sent.Select(s => s.Transfer).Order());
        Assert.Equal(moved.Select(m => m.TransferId).Order(), received.Select(r => r.Transfer).Order());

        // The balances: the sum is what was deposited, none is negative, and each is what the accepted transfers say.
        var balances = new Dictionary<string, long>();
        foreach (var account in accounts)
        {
            balances[account] = (await _bank.BalanceAsync(account))!.Balance;
        }

        Assert.Equal(300, balances.Values.Sum());
        Assert.All(balances.Values, b => Assert.True(b >= 0, $"a balance went negative: {b}"));
        foreach (var account in accounts)
        {
            var expected = 100 - moved.Where(m => m.From == account).Sum(m => m.Amount) + moved.Where(m => m.To == account).Sum(m => m.Amount);
            Assert.Equal(expected, balances[account]);
        }

        var listed = await _bank.Http.GetFromJsonAsync<List<AccountBalance>>("/accounts");
        Assert.Equal(300, listed!.Where(b => accounts.Contains(b.Account)).Sum(b => b.Balance));
    }

    [Fact]
    public async Task Deposits_withdrawals_and_transfers_racing_on_the_same_accounts_lose_nothing()
    {
        var alice = BankClient.NewId("alice");
        var bob = BankClient.NewId("bob");
        await _bank.OpenAsync(alice, "Alice", deposit: 100);
        await _bank.OpenAsync(bob, "Bob");

        // The entities decide deposits and withdrawals while transfers are appended beside them to the same streams.
        var work = new List<(string Kind, string Account, long Amount, Task<HttpResponseMessage> Response)>();
        for (var i = 0; i < 10; i++)
        {
            work.Add(("deposit", alice, 10, _bank.PostAsync($"/accounts/{alice}/deposits", new AmountRequest(10))));
            work.Add(("transfer", alice, 15, _bank.PostAsync("/transfers", new TransferRequest(alice, bob, 15, $"mixed-{i}-{Guid.NewGuid():N}"))));
            work.Add(("withdrawal", bob, 5, _bank.PostAsync($"/accounts/{bob}/withdrawals", new AmountRequest(5))));
        }

        await Task.WhenAll(work.Select(w => w.Response));
        var accepted = new List<(string Kind, string Account, long Amount)>();
        foreach (var (kind, account, amount, task) in work)
        {
            var response = await task;
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict,
                $"{kind}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((kind, account, amount));
            }
        }

        await _bank.WaitForAllProjectionsAsync();
        var types = (await _bank.StreamTypesAsync(alice)).Concat(await _bank.StreamTypesAsync(bob)).ToList();
        Assert.Equal(1 + accepted.Count(a => a.Kind == "deposit"), types.Count(t => t == "MoneyDeposited"));
        Assert.Equal(accepted.Count(a => a.Kind == "transfer"), types.Count(t => t == "TransferSent"));
        Assert.Equal(accepted.Count(a => a.Kind == "transfer"), types.Count(t => t == "TransferReceived"));
        Assert.Equal(accepted.Count(a => a.Kind == "withdrawal"), types.Count(t => t == "MoneyWithdrawn"));

        var expected = 100 + accepted.Where(a => a.Kind == "deposit").Sum(a => a.Amount) - accepted.Where(a => a.Kind == "withdrawal").Sum(a => a.Amount);
        var aliceBalance = (await _bank.BalanceAsync(alice))!.Balance;
        var bobBalance = (await _bank.BalanceAsync(bob))!.Balance;
        Assert.Equal(expected, aliceBalance + bobBalance);
        Assert.True(aliceBalance >= 0 && bobBalance >= 0, $"a balance went negative: {aliceBalance}, {bobBalance}");
    }
}
