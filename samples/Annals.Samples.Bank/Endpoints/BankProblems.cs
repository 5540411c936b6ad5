using Annals.Deciders;
using Annals.Entities;
using Annals.Samples.Bank.Domain;
using Annals.Storage;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>Turns the bank's rejections and Annals' typed errors into RFC 7807 problem details.</summary>
public static class BankProblems
{
    public static IResult? From(Exception error) => error switch
    {
        CommandRejectedException { InnerException: BankRuleException rule } => Rule(rule),
        BankRuleException rule => Rule(rule),
        EntityConflictException or DecisionConflictException or ConcurrencyException =>
            TypedResults.Problem(error.Message, statusCode: StatusCodes.Status409Conflict, title: "Concurrent change, try again"),
        CommandTimeoutException or StoreUnavailableException =>
            TypedResults.Problem(error.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not answered in time; send it again with the same Idempotency-Key"),
        InvalidNameException => BadRequest(error.Message),
        _ => null,
    };

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    public static IResult InvalidAccountId(string? id) =>
        BadRequest($"'{id}' is not an account id: use 1 to 64 letters, digits, '-' or '_'.");

    public static IResult InvalidTransferId(string? id) =>
        BadRequest($"'{id}' is not a transfer id: use 1 to 64 letters, digits, '-' or '_'.");

    private static IResult Rule(BankRuleException rule)
    {
        var (status, title) = rule switch
        {
            AccountNotFoundException => (StatusCodes.Status404NotFound, "Unknown account"),
            AccountAlreadyOpenException => (StatusCodes.Status409Conflict, "Account already open"),
            AccountClosedException => (StatusCodes.Status409Conflict, "Account closed"),
            InsufficientFundsException => (StatusCodes.Status422UnprocessableEntity, "Insufficient funds"),
            _ => (StatusCodes.Status400BadRequest, "Invalid command"),
        };

        var extensions = new Dictionary<string, object?> { ["account"] = rule.Account, ["reason"] = rule.Reason };
        if (rule is InsufficientFundsException funds)
        {
            extensions["balance"] = funds.Balance;
            extensions["requested"] = funds.Requested;
        }

        return TypedResults.Problem(rule.Message, statusCode: status, title: title, extensions: extensions);
    }
}
