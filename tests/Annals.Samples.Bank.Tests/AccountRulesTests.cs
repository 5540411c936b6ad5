using System.Collections.Immutable;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Testing.Deciders;

namespace Annals.Samples.Bank.Tests;

/// <summary>The account entity's and the transfer decider's rules, without a store.</summary>
public sealed class AccountRulesTests
{
    private static readonly EventCodec Codec = new(new TypeRegistry().RegisterAssembly(typeof(AccountEntity).Assembly));

    private static readonly AccountOpened AliceOpened = new("alice", "Alice");

    [Fact]
    public void A_withdrawal_the_balance_covers_is_decided()
    {
        var state = DeciderSpec.For(AccountEntity.Instance).WithCodec(Codec)
            .Given(AliceOpened, new MoneyDeposited("alice", 100), new TransferReceived("alice", "t-1", "bob", 5))
            .When(new Withdraw("alice", 105))
            .Then(new MoneyWithdrawn("alice", 105));

        Assert.Equal(new AccountState("Alice", 0), state);
    }

    [Fact]
    public void An_overdraft_is_rejected_with_both_amounts()
    {
        var rejected = DeciderSpec.For(AccountEntity.Instance).WithCodec(Codec)
            .Given(AliceOpened, new MoneyDeposited("alice", 100), new TransferSent("alice", "t-1", "bob", 30))
            .When(new Withdraw("alice", 71))
            .ThenThrows<InsufficientFundsException>(e => e.Balance == 70 && e.Requested == 71);

        Assert.Equal("Rejected for account 'alice': insufficient funds: the balance is 70 and 71 was requested.", rejected.Message);
    }

    [Fact]
    public void Commands_to_an_account_never_opened_are_rejected_as_unknown()
    {
        DeciderSpec.For(AccountEntity.Instance).Given().When(new Deposit("ghost", 5)).ThenThrows<AccountNotFoundException>();
        DeciderSpec.For(AccountEntity.Instance).Given().When(new Withdraw("ghost", 5)).ThenThrows<AccountNotFoundException>();
        DeciderSpec.For(AccountEntity.Instance).Given().When(new ReceiveTransfer("ghost", "t-1", "alice", 5)).ThenThrows<AccountNotFoundException>();
    }

    [Fact]
    public void An_account_opens_once_and_needs_an_owner()
    {
        DeciderSpec.For(AccountEntity.Instance).Given(AliceOpened).When(new OpenAccount("alice", "Alice")).ThenThrows<AccountAlreadyOpenException>();
        DeciderSpec.For(AccountEntity.Instance).Given().When(new OpenAccount("bob", "  ")).ThenThrows<InvalidCommandException>();
        DeciderSpec.For(AccountEntity.Instance).Given().When(new OpenAccount("bob", " Bob ")).Then(new AccountOpened("bob", "Bob"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Amounts_must_be_positive(long amount)
    {
        DeciderSpec.For(AccountEntity.Instance).Given(AliceOpened).When(new Deposit("alice", amount)).ThenThrows<InvalidCommandException>(e => e.Reason == $"an amount must be positive, not {amount}");
        DeciderSpec.For(AccountEntity.Instance).Given(AliceOpened).When(new Withdraw("alice", amount)).ThenThrows<InvalidCommandException>();
    }

    [Fact]
    public void A_transfer_is_decided_over_both_accounts()
    {
        DeciderSpec.For(TransferDecider.Instance).WithCodec(Codec)
            .Given(AliceOpened, new MoneyDeposited("alice", 50), new AccountOpened("bob", "Bob"))
            .When(new TransferFunds("t-1", "alice", "bob", 50))
            .Then(new TransferSent("alice", "t-1", "bob", 50));
    }

    [Fact]
    public void A_transfer_is_refused_beyond_the_balance_to_an_unknown_account_and_to_the_same_account()
    {
        IAccountEvent[] history = [AliceOpened, new MoneyDeposited("alice", 50), new AccountOpened("bob", "Bob")];
        DeciderSpec.For(TransferDecider.Instance).Given(history).When(new TransferFunds("t-1", "alice", "bob", 51)).ThenThrows<InsufficientFundsException>();
        DeciderSpec.For(TransferDecider.Instance).Given(history).When(new TransferFunds("t-1", "alice", "carol", 5)).ThenThrows<AccountNotFoundException>(e => e.Account == "carol");
        DeciderSpec.For(TransferDecider.Instance).Given(history).When(new TransferFunds("t-1", "carol", "alice", 5)).ThenThrows<AccountNotFoundException>(e => e.Account == "carol");
        DeciderSpec.For(TransferDecider.Instance).Given(history).When(new TransferFunds("t-1", "alice", "alice", 5)).ThenThrows<InvalidCommandException>();
    }

    [Fact]
    public void A_transfer_depends_on_the_senders_stream_and_the_receivers_opening_and_closing_only()
    {
        var filter = TransferDecider.Consistency(new TransferFunds("t-1", "alice", "bob", 5));

        Assert.True(filter.Matches(BankStreams.Account("alice"), "MoneyDeposited"));
        Assert.True(filter.Matches(BankStreams.Account("alice"), "TransferReceived"));
        Assert.True(filter.Matches(BankStreams.Account("bob"), "AccountOpened"));
        Assert.True(filter.Matches(BankStreams.Account("bob"), "AccountClosed"));
        Assert.False(filter.Matches(BankStreams.Account("bob"), "TransferReceived"));
        Assert.False(filter.Matches(BankStreams.Account("carol"), "AccountOpened"));
        Assert.Empty(TransferDecider.Instance.InitialState);
        Assert.IsType<ImmutableDictionary<string, AccountState>>(TransferDecider.Instance.InitialState, exactMatch: false);
    }

    [Fact]
    public void A_closed_account_takes_no_deposit_withdrawal_credit_or_transfer()
    {
        IAccountEvent[] closed = [AliceOpened, new MoneyDeposited("alice", 50), new AccountClosed("alice")];
        var account = DeciderSpec.For(AccountEntity.Instance).WithCodec(Codec);
        account.Given(AliceOpened, new MoneyDeposited("alice", 50)).When(new CloseAccount("alice")).Then(new AccountClosed("alice"));
        account.Given(closed).When(new Deposit("alice", 5)).ThenThrows<AccountClosedException>();
        account.Given(closed).When(new Withdraw("alice", 5)).ThenThrows<AccountClosedException>();
        account.Given(closed).When(new ReceiveTransfer("alice", "t-1", "bob", 5)).ThenThrows<AccountClosedException>();
        account.Given(closed).When(new CloseAccount("alice")).ThenThrows<AccountClosedException>();

        IAccountEvent[] bobClosed = [AliceOpened, new MoneyDeposited("alice", 50), new AccountOpened("bob", "Bob"), new AccountClosed("bob")];
        DeciderSpec.For(TransferDecider.Instance).Given(bobClosed).When(new TransferFunds("t-1", "alice", "bob", 5)).ThenThrows<AccountClosedException>(e => e.Account == "bob");
        DeciderSpec.For(TransferDecider.Instance).Given(bobClosed).When(new TransferFunds("t-1", "bob", "alice", 5)).ThenThrows<AccountClosedException>(e => e.Account == "bob");
    }

    [Fact]
    public void A_refund_gives_the_debit_back_even_to_a_closed_account()
    {
        var state = DeciderSpec.For(AccountEntity.Instance).WithCodec(Codec)
            .Given(AliceOpened, new MoneyDeposited("alice", 50), new TransferSent("alice", "t-1", "bob", 30), new AccountClosed("alice"))
            .When(new RefundTransfer("alice", "t-1", "bob", 30))
            .Then(new TransferRefunded("alice", "t-1", "bob", 30));

        Assert.Equal(new AccountState("Alice", 50, Closed: true), state);
    }
}
