using System.Collections.Immutable;
using Annals.Deciders;
using Annals.Storage;

namespace Annals.Cli.Demo;

/// <summary>
/// Decides <see cref="OpenAccount"/> over the <c>Opened</c> events of every account
/// (<see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(EventFilter, StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/>),
/// so an account id and an owner's e-mail are each used once, whichever stream claimed them.
/// </summary>
internal static class AccountOpening
{
    /// <summary>The events the rule depends on: every account's <c>Opened</c>.</summary>
    public static EventFilter Consistency { get; } = EventFilter.Parse("account.*.Opened");

    public static IDecider<OpenAccount, Claims, AccountOpened> Decider { get; } = Annals.Deciders.Decider.Create<OpenAccount, Claims, AccountOpened>(
        Claims.None,
        static (command, claims) =>
        {
            var email = command.Email.ToLowerInvariant();
            if (claims.Accounts.Contains(command.Account))
            {
                throw new AccountRejectedException(command.Account, "the account is already open");
            }

            return claims.Emails.Contains(email)
                ? throw new AccountRejectedException(command.Account, $"the e-mail {email} already owns an account")
                : [new AccountOpened(command.Account, command.Owner, email, Bank.Currency)];
        },
        static (claims, opened) => new Claims(claims.Accounts.Add(opened.Account), claims.Emails.Add(opened.Email)));

    /// <summary>The account ids and e-mails already claimed.</summary>
    internal sealed record Claims(ImmutableHashSet<string> Accounts, ImmutableHashSet<string> Emails)
    {
        public static Claims None { get; } = new([], []);
    }
}
