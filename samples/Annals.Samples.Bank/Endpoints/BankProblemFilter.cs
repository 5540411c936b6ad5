namespace Annals.Samples.Bank.Endpoints;

/// <summary>Answers an endpoint's known failures with problem details; anything else goes on to the exception handler (500).</summary>
public sealed class BankProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception error) when (BankProblems.From(error) is { } problem)
        {
            return problem;
        }
    }
}
