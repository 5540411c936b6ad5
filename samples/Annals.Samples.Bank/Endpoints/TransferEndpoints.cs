using Annals.Deciders;
using Annals.Projections;
using Annals.Samples.Bank.Domain;
using Annals.Samples.Bank.Projections;
using Annals.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>
/// Transfers: the debit is decided over both accounts and appended to the sender's stream in one commit; the
/// settlement projection appends the credit exactly once. The answer waits (bounded) for the credit: 200 when it is
/// stored, 202 when it is still to come.
/// </summary>
public static class TransferEndpoints
{
    public static RouteHandlerBuilder MapTransfers(this IEndpointRouteBuilder app) =>
        app.MapPost("/transfers", TransferAsync).AddEndpointFilter<BankProblemFilter>().WithTags("Transfers");

    private static async Task<IResult> TransferAsync(
        TransferRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? key,
        TypedEventStore bank,
        ProjectionHost projections,
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
        var settled = await ProjectionWait.ReachedAsync(projections, TransferSettlement.Name, debited, options.Value.SettlementWait, cancellationToken);
        var position = settled ? await bank.Store.GetHeadPositionAsync(cancellationToken) : debited;
        var response = new TransferResponse(transferId, command.From, command.To, command.Amount, settled, position);
        return settled ? TypedResults.Ok(response) : TypedResults.Accepted($"/accounts/{command.From}", response);
    }
}
