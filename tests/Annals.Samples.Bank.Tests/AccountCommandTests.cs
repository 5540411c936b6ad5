using System.Net;
using System.Net.Http.Json;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Projections;

namespace Annals.Samples.Bank.Tests;

/// <summary>Opening, depositing, withdrawing and transferring over HTTP, on a SQLite file: the store and the balances show them.</summary>
public sealed class AccountCommandTests(BankFactory factory) : IClassFixture<BankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task Open_deposit_and_withdraw_reach_the_store_and_the_balances()
    {
        var id = BankClient.NewId("ada");
        var opened = await _bank.OpenAsync(id, "Ada");
        Assert.Equal(0, opened.Revision);
        await _bank.DepositAsync(id, 100);
        var withdrawn = await _bank.PostAsync($"/accounts/{id}/withdrawals", new AmountRequest(30));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var after = (await withdrawn.Content.ReadFromJsonAsync<AccountResponse>())!;
        Assert.Equal(70, after.Balance);
        Assert.Equal(2, after.Revision);

        Assert.Equal(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"], await _bank.StreamTypesAsync(id));

        // Read your own write: the balances once the projection has reached the withdrawal's position.
        var response = await _bank.Http.GetAsync($"/accounts/{id}?atLeast={after.Position}");
        var balance = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AccountBalance>())!;
        Assert.Equal(new AccountBalance(id, "Ada", 70, after.Position), balance);
    }

    [Fact]
    public async Task A_transfer_debits_one_account_and_credits_the_other_once()
    {
        var from = BankClient.NewId("alice");
        var to = BankClient.NewId("bob");
        await _bank.OpenAsync(from, "Alice", deposit: 100);
        await _bank.OpenAsync(to, "Bob", deposit: 5);

        var response = await _bank.PostAsync("/transfers", new TransferRequest(from, to, 40, TransferId: null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = (await response.Content.ReadFromJsonAsync<TransferResponse>())!;
        Assert.True(transfer.Settled);

        Assert.Equal(["AccountOpened", "MoneyDeposited", "TransferSent"], await _bank.StreamTypesAsync(from));
        Assert.Equal(["AccountOpened", "MoneyDeposited", "TransferReceived"], await _bank.StreamTypesAsync(to));

        await _bank.WaitForProjectionAsync(BalancesProjection.Name, transfer.Position);
        Assert.Equal(60, (await _bank.BalanceAsync(from))!.Balance);
        Assert.Equal(45, (await _bank.BalanceAsync(to))!.Balance);

        // The list holds both accounts with the same balances.
        var all = await _bank.Http.GetFromJsonAsync<List<AccountBalance>>($"/accounts?atLeast={transfer.Position}");
        Assert.Contains(all!, b => b.Account == from && b.Balance == 60);
        Assert.Contains(all!, b => b.Account == to && b.Balance == 45);
    }

    [Fact]
    public async Task The_entities_in_memory_see_a_transfer_at_once()
    {
        var from = BankClient.NewId("rosa");
        var to = BankClient.NewId("sam");
        await _bank.OpenAsync(from, "Rosa", deposit: 100);
        await _bank.OpenAsync(to, "Sam", deposit: 1);
        Assert.Equal(HttpStatusCode.OK, (await _bank.PostAsync("/transfers", new TransferRequest(from, to, 60, null))).StatusCode);

        // The receiver's entity decided the credit: the money is there to withdraw.
        var withdrawn = await _bank.PostAsync($"/accounts/{to}/withdrawals", new AmountRequest(61));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(0, (await withdrawn.Content.ReadFromJsonAsync<AccountResponse>())!.Balance);

        // The sender's entity held 100 when the debit was appended beside it: it reloads and refuses what is no longer there.
        var problem = await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{from}/withdrawals", new AmountRequest(50)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("the balance is 40 and 50 was requested", problem.Detail);
        var rest = await _bank.PostAsync($"/accounts/{from}/withdrawals", new AmountRequest(40));
        Assert.Equal(0, (await rest.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AccountResponse>())!.Balance);
    }

    [Fact]
    public async Task A_transfer_sent_again_with_its_id_moves_the_money_once()
    {
        var from = BankClient.NewId("carol");
        var to = BankClient.NewId("dave");
        await _bank.OpenAsync(from, "Carol", deposit: 50);
        await _bank.OpenAsync(to, "Dave");

        var request = new TransferRequest(from, to, 20, TransferId: BankClient.NewId("t"));
        Assert.Equal(HttpStatusCode.OK, (await _bank.PostAsync("/transfers", request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _bank.PostAsync("/transfers", request)).StatusCode);

        Assert.Single(await _bank.StreamTypesAsync(from), t => t == "TransferSent");
        Assert.Single(await _bank.StreamTypesAsync(to), t => t == "TransferReceived");
        await _bank.WaitForAllProjectionsAsync();
        Assert.Equal(30, (await _bank.BalanceAsync(from))!.Balance);
        Assert.Equal(20, (await _bank.BalanceAsync(to))!.Balance);
    }

    [Fact]
    public async Task An_overdraft_is_refused_with_problem_details_that_give_the_reason()
    {
        var id = BankClient.NewId("erin");
        await _bank.OpenAsync(id, "Erin", deposit: 10);

        var problem = await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/withdrawals", new AmountRequest(11)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Insufficient funds", problem.Title);
        Assert.Contains("insufficient funds: the balance is 10 and 11 was requested", problem.Detail);
        Assert.Equal("insufficient funds: the balance is 10 and 11 was requested", problem.Extensions["reason"]?.ToString());

        var other = BankClient.NewId("frank");
        await _bank.OpenAsync(other, "Frank");
        var transfer = await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(id, other, 25, null)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("the balance is 10 and 25 was requested", transfer.Detail);

        // Nothing of either was stored.
        Assert.Equal(["AccountOpened", "MoneyDeposited"], await _bank.StreamTypesAsync(id));
    }

    [Fact]
    public async Task An_unknown_account_is_404()
    {
        var known = BankClient.NewId("gina");
        await _bank.OpenAsync(known, "Gina", deposit: 10);
        var unknown = BankClient.NewId("nobody");

        var deposit = await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{unknown}/deposits", new AmountRequest(5)), HttpStatusCode.NotFound);
        Assert.Equal("Unknown account", deposit.Title);
        Assert.Equal(unknown, deposit.Extensions["account"]?.ToString());
        await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{unknown}/withdrawals", new AmountRequest(5)), HttpStatusCode.NotFound);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(known, unknown, 5, null)), HttpStatusCode.NotFound);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(unknown, known, 5, null)), HttpStatusCode.NotFound);
        await BankClient.ProblemAsync(await _bank.Http.GetAsync($"/accounts/{unknown}"), HttpStatusCode.NotFound);

        Assert.Empty(await _bank.StreamTypesAsync(unknown));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_non_positive_amount_is_400(long amount)
    {
        var id = BankClient.NewId("hal");
        var other = BankClient.NewId("ivy");
        await _bank.OpenAsync(id, "Hal", deposit: 10);
        await _bank.OpenAsync(other, "Ivy");

        var deposit = await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/deposits", new AmountRequest(amount)), HttpStatusCode.BadRequest);
        Assert.Contains($"an amount must be positive, not {amount}", deposit.Detail);
        await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/withdrawals", new AmountRequest(amount)), HttpStatusCode.BadRequest);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(id, other, amount, null)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Opening_an_open_account_is_a_conflict_and_a_malformed_id_a_bad_request()
    {
        var id = BankClient.NewId("jo");
        await _bank.OpenAsync(id, "Jo");

        await BankClient.ProblemAsync(await _bank.PostAsync("/accounts", new OpenAccountRequest(id, "Jo again")), HttpStatusCode.Conflict);
        await BankClient.ProblemAsync(await _bank.PostAsync("/accounts", new OpenAccountRequest("not.an.id", "Jo")), HttpStatusCode.BadRequest);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(id, id, 1, null)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_transfer_id_is_checked_like_an_account_id()
    {
        var from = BankClient.NewId("kai");
        var to = BankClient.NewId("lou");
        await _bank.OpenAsync(from, "Kai", deposit: 10);
        await _bank.OpenAsync(to, "Lou");

        var problem = await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(from, to, 1, "not.a.transfer")), HttpStatusCode.BadRequest);
        Assert.Contains("is not a transfer id", problem.Detail);
        Assert.Equal(["AccountOpened", "MoneyDeposited"], await _bank.StreamTypesAsync(from));
    }

    [Fact]
    public async Task A_closed_account_refuses_deposits_withdrawals_and_transfers_with_a_conflict()
    {
        var id = BankClient.NewId("max");
        var other = BankClient.NewId("nia");
        await _bank.OpenAsync(id, "Max", deposit: 10);
        await _bank.OpenAsync(other, "Nia", deposit: 10);

        Assert.Equal(HttpStatusCode.OK, (await _bank.PostAsync($"/accounts/{id}/close", new { })).StatusCode);
        var deposit = await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/deposits", new AmountRequest(5)), HttpStatusCode.Conflict);
        Assert.Equal("Account closed", deposit.Title);
        await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/withdrawals", new AmountRequest(5)), HttpStatusCode.Conflict);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(other, id, 5, null)), HttpStatusCode.Conflict);
        await BankClient.ProblemAsync(await _bank.PostAsync("/transfers", new TransferRequest(id, other, 5, null)), HttpStatusCode.Conflict);
        await BankClient.ProblemAsync(await _bank.PostAsync($"/accounts/{id}/close", new { }), HttpStatusCode.Conflict);
    }
}
