using Annals.Projections;
using Annals.Samples.Bank.Domain;
using Annals.Samples.Bank.Projections;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>Open, deposit, withdraw, close (commands to the account entities) and the balances read model.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/accounts").AddEndpointFilter<BankProblemFilter>().WithTags("Accounts");
        accounts.MapPost("/", OpenAsync);
        accounts.MapPost("/{id}/deposits", DepositAsync);
        accounts.MapPost("/{id}/withdrawals", WithdrawAsync);
        accounts.MapPost("/{id}/close", CloseAsync);
        accounts.MapGet("/{id}", GetAsync);
        accounts.MapGet("/", ListAsync);
        return accounts;
    }

    private static async Task<IResult> OpenAsync(OpenAccountRequest request, AccountCommandSender sender, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken cancellationToken)
    {
        var id = request.Id ?? Guid.CreateVersion7().ToString("N");
        if (!BankStreams.IsValidAccountId(id))
        {
            return BankProblems.InvalidAccountId(id);
        }

        var opened = await sender.SendAsync(new OpenAccount(id, request.Owner ?? string.Empty), key, cancellationToken);
        return TypedResults.Created($"/accounts/{id}", opened);
    }

    private static async Task<IResult> DepositAsync(string id, AmountRequest request, AccountCommandSender sender, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken cancellationToken) =>
        BankStreams.IsValidAccountId(id)
            ? TypedResults.Ok(await sender.SendAsync(new Deposit(id, request.Amount), key, cancellationToken))
            : BankProblems.InvalidAccountId(id);

    private static async Task<IResult> WithdrawAsync(string id, AmountRequest request, AccountCommandSender sender, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken cancellationToken) =>
        BankStreams.IsValidAccountId(id)
            ? TypedResults.Ok(await sender.SendAsync(new Withdraw(id, request.Amount), key, cancellationToken))
            : BankProblems.InvalidAccountId(id);

    private static async Task<IResult> CloseAsync(string id, AccountCommandSender sender, [FromHeader(Name = "Idempotency-Key")] string? key, CancellationToken cancellationToken) =>
        BankStreams.IsValidAccountId(id)
            ? TypedResults.Ok(await sender.SendAsync(new CloseAccount(id), key, cancellationToken))
            : BankProblems.InvalidAccountId(id);

    /// <summary>One balance from the projection; with <c>atLeast</c>, once the projection has reached that position.</summary>
    private static async Task<IResult> GetAsync(string id, long? atLeast, BalanceStore balances, ProjectionHost projections, IOptions<BankOptions> options, CancellationToken cancellationToken)
    {
        if (!BankStreams.IsValidAccountId(id))
        {
            return BankProblems.InvalidAccountId(id);
        }

        if (atLeast is { } position && !await BalancesReached(projections, position, options.Value.ReadWait, cancellationToken))
        {
            return BalancesBehind(position);
        }

        var (balance, _) = await balances.ReadAsync(id, cancellationToken);
        return balance is null
            ? TypedResults.Problem($"No account '{id}' is known to the balances.", statusCode: StatusCodes.Status404NotFound, title: "Unknown account")
            : TypedResults.Ok(balance);
    }

    /// <summary>Every balance from the projection; with <c>atLeast</c>, once the projection has reached that position.</summary>
    private static async Task<IResult> ListAsync(long? atLeast, BalanceStore balances, ProjectionHost projections, IOptions<BankOptions> options, CancellationToken cancellationToken)
    {
        if (atLeast is { } position && !await BalancesReached(projections, position, options.Value.ReadWait, cancellationToken))
        {
            return BalancesBehind(position);
        }

        var all = new List<AccountBalance>();
        await foreach (var (balance, _) in balances.ReadAllAsync(cancellationToken))
        {
            all.Add(balance);
        }

        return TypedResults.Ok(all);
    }

    private static IResult BalancesBehind(long position) =>
        TypedResults.Problem($"The balances have not reached position {position} yet.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Balances behind");

    internal static async Task<bool> BalancesReached(ProjectionHost projections, long position, TimeSpan wait, CancellationToken cancellationToken) =>
        await ProjectionWait.ReachedAsync(projections, BalancesProjection.Name, position, wait, cancellationToken);
}
