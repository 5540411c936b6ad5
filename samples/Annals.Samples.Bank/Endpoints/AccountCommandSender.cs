using Annals.Entities;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.Options;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>Sends a command to an account entity and tells where its events landed.</summary>
public sealed class AccountCommandSender(EntityEngine engine, IEventStore store, IOptions<BankOptions> options)
{
    /// <summary>Sends the command; with the caller's idempotency key as its message id, sending it again with the same key stores nothing twice.</summary>
    public async Task<AccountResponse> SendAsync(IAccountCommand command, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var account = BankStreams.Account(command.Account);
        var context = string.IsNullOrEmpty(idempotencyKey) ? null : new MessageContext(idempotencyKey);
        var reply = await engine.SendCommandAsync<AccountState>(account, command, options.Value.CommandTimeout, context, cancellationToken);

        // The reply names the stream's revision; the stream's last position is at or after the command's events.
        var info = await store.GetStreamInfoAsync(account, cancellationToken);
        return new AccountResponse(command.Account, reply.State.Owner, reply.State.Balance, reply.Revision, info?.LastPosition ?? 0);
    }
}
