using Annals.Deciders;
using Annals.Serialization;
using Annals.Testing.Deciders;
using Xunit;

namespace Annals.Tests.Deciders;

public sealed class DeciderSpecTests
{
    private static readonly IDecider<Withdraw, int, Moved> Wallet = Decider.Create<Withdraw, int, Moved>(
        0,
        (command, balance) => command.Amount > balance ? throw new InsufficientFunds(balance) : [new Moved(-command.Amount)],
        (balance, moved) => balance + moved.Amount);

    [Fact]
    public void Then_passes_when_the_decided_events_match_and_returns_the_state_after_them()
    {
        var state = DeciderSpec.For(Wallet).Given(new Moved(50), new Moved(20)).When(new Withdraw(30)).Then(new Moved(-30));

        Assert.Equal(40, state);
    }

    [Fact]
    public void Then_fails_with_expected_and_actual_side_by_side()
    {
        var outcome = DeciderSpec.For(Wallet).Given(new Moved(50)).When(new Withdraw(30));

        var failure = Assert.Throws<SpecFailedException>(() => outcome.Then(new Moved(-30), new Moved(-1)));

        Assert.Equal(
            """
            Decider specification failed: expected 2 event(s) and got 1; the first difference is at index 1.
            Given:
              [0] Moved {"amount":50}
            When:
              Withdraw {"amount":30}
            Then:
                  expected             | actual
                0 Moved {"amount":-30} | Moved {"amount":-30}
              ≠ 1 Moved {"amount":-1}  | -

            """.ReplaceLineEndings(),
            failure.Message);
    }

    [Fact]
    public void Then_fails_when_the_decider_rejects_the_command()
    {
        var failure = Assert.Throws<SpecFailedException>(() => DeciderSpec.For(Wallet).When(new Withdraw(5)).Then(new Moved(-5)));

        Assert.StartsWith("Decider specification failed: expected 1 event, but Decide threw InsufficientFunds: Only 0 left.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("  (no events)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThenThrows_passes_on_the_expected_rejection_and_returns_it()
    {
        var error = DeciderSpec.For(Wallet).Given(new Moved(3)).When(new Withdraw(5)).ThenThrows<InsufficientFunds>(e => e.Balance == 3);

        Assert.Equal(3, error.Balance);
    }

    [Fact]
    public void ThenThrows_fails_when_events_were_decided_or_the_check_does_not_hold()
    {
        var decided = Assert.Throws<SpecFailedException>(() => DeciderSpec.For(Wallet).Given(new Moved(9)).When(new Withdraw(5)).ThenThrows<InsufficientFunds>());
        var other = Assert.Throws<SpecFailedException>(() => DeciderSpec.For(Wallet).When(new Withdraw(5)).ThenThrows<InsufficientFunds>(e => e.Balance == 7));

        Assert.StartsWith("Decider specification failed: expected InsufficientFunds to be thrown, but Decide returned 1 event.", decided.Message, StringComparison.Ordinal);
        Assert.Contains("Moved {\"amount\":-5}", decided.Message, StringComparison.Ordinal);
        Assert.StartsWith("Decider specification failed: InsufficientFunds was thrown as expected, but not the one expected: Only 0 left.", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_Then_expects_no_events()
    {
        var noChange = Decider.Create<Withdraw, int, Moved>(0, (_, _) => [], (b, m) => b + m.Amount);

        DeciderSpec.For(noChange).When(new Withdraw(1)).Then();
        var failure = Assert.Throws<SpecFailedException>(() => DeciderSpec.For(Wallet).Given(new Moved(1)).When(new Withdraw(1)).Then());

        Assert.Contains("0 (no events)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithCodec_catches_events_that_would_not_survive_the_store()
    {
        var unregistered = new EventCodec(new TypeRegistry());
        var registered = new EventCodec(new TypeRegistry().Register<Moved>("moved"));

        var failure = Assert.Throws<SpecFailedException>(() => DeciderSpec.For(Wallet).WithCodec(unregistered).Given(new Moved(5)).When(new Withdraw(1)));
        var state = DeciderSpec.For(Wallet).WithCodec(registered).Given(new Moved(5)).When(new Withdraw(1)).Then(new Moved(-1));

        Assert.StartsWith("The given event Moved {\"amount\":5} cannot be stored: The type", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, state);
    }

    public sealed record Withdraw(int Amount);

    public sealed record Moved(int Amount);

    public sealed class InsufficientFunds(int balance) : Exception($"Only {balance} left.")
    {
        public int Balance { get; } = balance;
    }
}
