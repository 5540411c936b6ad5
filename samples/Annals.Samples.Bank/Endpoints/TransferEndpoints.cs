using Annals.Deciders;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>
/// Transfers: the debit is decided over both accounts and appended to the sender's stream in one commit; the transfer
/// process sends the credit to the receiver's entity (or refunds the debit at its deadline). The answer waits (bounded)
/// for the credit: 200 when it is stored, 202 when it is still to come.
/// </summary>
public static class TransferEndpoints
{
    public static RouteHandlerBuilder MapTransfers(this IEndpointRouteBuilder app) =>
        app.MapPost("/transfers", TransferAsync).AddEndpointFilter<BankProblemFilter>().WithTags("Transfers");

    private static async Task<IResult> TransferAsync(
        TransferRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? key,
        TypedEventStore bank,
        IOptions<BankOptions> options,
        CancellationToken cancellationToken)
    {
        if (!BankStreams.IsValidAccountId(request.From))
        {
            return BankProblems.InvalidAccountId(request.From);
        }

        if (!BankStreams.IsValidAccountId(request.To))
        {
            return BankProblems.InvalidAccountId(request.To);
        }

        var transferId = request.TransferId ?? key ?? Guid.CreateVersion7().ToString("N");
        if (!BankStreams.IsValidTransferId(transferId))
        {
            return BankProblems.InvalidTransferId(transferId);
        }

        var command = new TransferFunds(transferId, request.From!, request.To!, request.Amount);

        // The transfer's id is the command's message id: sent again, it is recognised and nothing is debited twice.
        var decision = await bank.DecideAsync(
            TransferDecider.Consistency(command),
            BankStreams.Account(command.From),
            TransferDecider.Instance,
            command,
            new DecideOptions { Context = new MessageContext(transferId), MaxAttempts = options.Value.TransferAttempts },
            cancellationToken);

        var debited = decision.Position!.Value;
        var credited = await CreditWait.ForAsync(bank, command.To, transferId, debited, options.Value.SettlementWait, cancellationToken);
        var settled = credited is not null;
        var response = new TransferResponse(transferId, command.From, command.To, command.Amount, settled, credited ?? debited);
        return settled ? TypedResults.Ok(response) : TypedResults.Accepted($"/accounts/{command.From}", response);
    }
}
