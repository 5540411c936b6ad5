using Annals.Deciders;
using Annals.Entities;
using Annals.Samples.Bank.Domain;
using Annals.Samples.Bank.Endpoints;
using Annals.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Annals.Samples.Bank.Tests;

/// <summary>Which status and reason each failure is answered with.</summary>
public sealed class BankProblemsTests
{
    private static readonly StreamName Alice = BankStreams.Account("alice");

    public static TheoryData<Exception, int> Failures => new()
    {
        { new CommandRejectedException(Alice, new InsufficientFundsException("alice", 1, 2)), 422 },
        { new CommandRejectedException(Alice, new AccountNotFoundException("alice")), 404 },
        { new CommandRejectedException(Alice, new AccountAlreadyOpenException("alice")), 409 },
        { new CommandRejectedException(Alice, new InvalidCommandException("alice", "an amount must be positive, not 0")), 400 },
        { new AccountNotFoundException("bob"), 404 },
        { new EntityConflictException(Alice, new InvalidOperationException("raced")), 409 },
        { new DecisionConflictException(Alice, 50, new WrongExpectedRevisionException(Alice, ExpectedRevision.Exact(1), 2)), 409 },
        { new CommandTimeoutException(Alice, TimeSpan.FromSeconds(10)), 503 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_is_a_problem_with_its_status(Exception failure, int status)
    {
        var problem = Assert.IsType<ProblemHttpResult>(BankProblems.From(failure));

        Assert.Equal(status, problem.StatusCode);
        Assert.False(string.IsNullOrEmpty(problem.ProblemDetails.Detail));
        if (failure is BankRuleException or CommandRejectedException { InnerException: BankRuleException })
        {
            var rule = failure as BankRuleException ?? (BankRuleException)failure.InnerException!;
            Assert.Equal(rule.Reason, problem.ProblemDetails.Extensions["reason"]);
        }
    }

    [Fact]
    public void Other_failures_are_left_to_the_exception_handler()
    {
        Assert.Null(BankProblems.From(new InvalidOperationException("a bug")));
        Assert.Null(BankProblems.From(new CommandRejectedException(Alice, new ArgumentException("not a rule"))));
    }
}
