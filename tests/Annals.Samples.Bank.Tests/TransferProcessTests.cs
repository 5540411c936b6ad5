using System.Net;
using System.Net.Http.Json;
using Annals.Processes;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Processes;
using Annals.Samples.Bank.Projections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Annals.Samples.Bank.Tests;

/// <summary>The transfer process: a credited transfer leaves nothing behind; a refused credit is refunded at its deadline.</summary>
public sealed class TransferProcessTests(BankFactory factory) : IClassFixture<BankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task A_credited_transfer_leaves_no_pending_deadline_and_nothing_parked()
    {
        var from = BankClient.NewId("rita");
        var to = BankClient.NewId("sam");
        await _bank.OpenAsync(from, "Rita", deposit: 30);
        await _bank.OpenAsync(to, "Sam");

        var response = await _bank.PostAsync("/transfers", new TransferRequest(from, to, 30, BankClient.NewId("t")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = (await response.Content.ReadFromJsonAsync<TransferResponse>())!;
        Assert.True(transfer.Settled);

        // Once the process has seen the credit, the instance has ended with its deadline.
        await _bank.WaitForProcessAsync(transfer.Position);
        var status = await _bank.Processes.GetStatusAsync(TransferProcess.Name);
        Assert.Equal(0, status.PendingTimeouts);
        Assert.Equal(0, status.Parked);
        Assert.Equal(["AccountOpened", "MoneyDeposited", "TransferSent"], await _bank.StreamTypesAsync(from));
    }
}

/// <summary>A credit the receiver refuses is parked, and the deadline, on a fake clock, gives the debit back.</summary>
public sealed class TransferRefundTests(TransferRefundTests.FakeClockBankFactory factory) : IClassFixture<TransferRefundTests.FakeClockBankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task A_credit_refused_by_a_closed_receiver_is_parked_and_the_sender_refunded_at_the_deadline()
    {
        var from = BankClient.NewId("tom");
        var to = BankClient.NewId("uma");
        await _bank.OpenAsync(from, "Tom", deposit: 100);
        await _bank.OpenAsync(to, "Uma");

        // The receiver closes between the debit and the credit: the process waits while the debit is decided and the account closed.
        _bank.Processes.Pause(TransferProcess.Name);
        var response = await _bank.PostAsync("/transfers", new TransferRequest(from, to, 40, BankClient.NewId("refunded")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var transfer = (await response.Content.ReadFromJsonAsync<TransferResponse>())!;
        Assert.False(transfer.Settled);
        Assert.Equal(HttpStatusCode.OK, (await _bank.PostAsync($"/accounts/{to}/close", new { })).StatusCode);
        _bank.Processes.Resume(TransferProcess.Name);

        // The credit is refused (CommandRejectedException) and parked at once; the deadline waits.
        var waiting = await Eventually.ReturnsAsync(
            () => _bank.Processes.GetStatusAsync(TransferProcess.Name),
            s => s.Parked == 1 && s.PendingCommands == 0,
            "the credit parked");
        Assert.Equal(1, waiting.PendingTimeouts);
        Assert.Equal(["AccountOpened", "AccountClosed"], await _bank.StreamTypesAsync(to));
        Assert.Equal(["AccountOpened", "MoneyDeposited", "TransferSent"], await _bank.StreamTypesAsync(from));

        // Past the deadline the refund is sent to the sender; each look moves the clock by a poll interval, so the loop waiting on it wakes.
        factory.Clock.Advance(new BankOptions().RefundAfter);
        await Eventually.ReturnsAsync(
            async () =>
            {
                factory.Clock.Advance(TransferProcess.Options.PollInterval);
                return await _bank.StreamTypesAsync(from);
            },
            types => types.Contains("TransferRefunded"),
            "the sender refunded");

        await _bank.WaitForAllProjectionsAsync();
        Assert.Equal(["AccountOpened", "MoneyDeposited", "TransferSent", "TransferRefunded"], await _bank.StreamTypesAsync(from));
        Assert.Equal(100, (await _bank.BalanceAsync(from))!.Balance);
        var receiver = (await _bank.BalanceAsync(to))!;
        Assert.Equal(0, receiver.Balance);
        Assert.True(receiver.Closed);

        // The instance has ended with its deadline; the refused credit stays parked for the record.
        var status = await _bank.Processes.GetStatusAsync(TransferProcess.Name);
        Assert.Equal(0, status.PendingTimeouts);
        Assert.Equal(1, status.Parked);
        var parked = Assert.Single(await ParkedProcessMessages.ListAsync(_bank.Store, TransferProcess.Name));
        Assert.Equal(nameof(Domain.ReceiveTransfer), parked.Type);
        Assert.Equal($"account.{to}", parked.Target);
        Assert.Contains("the account is closed", parked.Error);
    }

    /// <summary>The bank on a fake clock (the container's <see cref="TimeProvider"/>, which <c>AddAnnals</c> takes), with a short wait for credits.</summary>
    public sealed class FakeClockBankFactory : BankFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // A transfer whose credit does not come answers 202 after this (real) wait.
            builder.UseSetting("Bank:SettlementWait", "00:00:01");
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
