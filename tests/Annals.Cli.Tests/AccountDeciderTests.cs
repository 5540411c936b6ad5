using Annals.Cli.Demo;
using Annals.Testing.Deciders;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary>The demo's deciders, given events, when a command, then events or a rejection; every event also goes through the bank's codec.</summary>
public sealed class AccountDeciderTests
{
    private static readonly AccountOpened AliceOpened = new("alice", "Alice", "alice@example.com", "EUR");

    private static DeciderGiven<IAccountCommand, AccountState, IAccountEvent> Account =>
        DeciderSpec.For(AccountDecider.Instance).WithCodec(Bank.Codec);

    private static DeciderGiven<OpenAccount, AccountOpening.Claims, AccountOpened> Opening =>
        DeciderSpec.For(AccountOpening.Decider).WithCodec(Bank.Codec);

    [Fact]
    public void A_withdrawal_the_balance_covers_is_decided_and_folded()
    {
        var state = Account
            .Given(AliceOpened, new Deposited("alice", 100, "salary"))
            .When(new Withdraw("alice", 100, "rent"))
            .Then(new Withdrawn("alice", 100, "rent"));

        Assert.Equal(new AccountState("Alice", 0), state);
    }

    [Fact]
    public void A_transfer_beyond_the_balance_is_rejected_with_both_amounts()
    {
        var rejected = Account
            .Given(AliceOpened, new Deposited("alice", 100, "salary"), new TransferSent("alice", "t-1", "bob", 30))
            .When(new SendTransfer("alice", "t-2", "bob", 71))
            .ThenThrows<AccountRejectedException>();

        Assert.Equal("Rejected for account.alice: insufficient funds, the balance is 70 EUR and 71 EUR were asked.", rejected.Message);
    }

    [Fact]
    public void A_received_transfer_adds_to_the_balance()
    {
        var state = Account
            .Given(AliceOpened)
            .When(new ReceiveTransfer("alice", "t-1", "bob", 25))
            .Then(new TransferReceived("alice", "t-1", "bob", 25));

        Assert.Equal(25, state.Balance);
    }

    [Fact]
    public void Commands_to_an_account_never_opened_are_rejected()
    {
        var rejected = Account.When(new Deposit("zoe", 5, "gift")).ThenThrows<AccountRejectedException>();

        Assert.Equal("Rejected for account.zoe: the account is not open.", rejected.Message);
    }

    [Fact]
    public void Amounts_must_be_positive()
    {
        Account.Given(AliceOpened).When(new Deposit("alice", 0, "nothing")).ThenThrows<AccountRejectedException>(e => e.Reason == "an amount must be positive, not 0");
    }

    [Fact]
    public void An_account_opens_with_its_email_in_lower_case()
    {
        Opening
            .Given(new AccountOpened("bob", "Bob", "bob@example.com", "EUR"))
            .When(new OpenAccount("dave", "Dave", "Dave@Example.com"))
            .Then(new AccountOpened("dave", "Dave", "dave@example.com", "EUR"));
    }

    [Fact]
    public void An_email_opens_one_account_only()
    {
        var rejected = Opening
            .Given(new AccountOpened("bob", "Bob", "bob@example.com", "EUR"))
            .When(new OpenAccount("dave", "Dave", "BOB@example.com"))
            .ThenThrows<AccountRejectedException>();

        Assert.Equal("Rejected for account.dave: the e-mail bob@example.com already owns an account.", rejected.Message);
    }

    [Fact]
    public void An_account_opens_once()
    {
        Opening
            .Given(new AccountOpened("bob", "Bob", "bob@example.com", "EUR"))
            .When(new OpenAccount("bob", "Bob", "bobby@example.com"))
            .ThenThrows<AccountRejectedException>(e => e.Reason == "the account is already open");
    }
}
