using Annals.Deciders;
using Annals.Entities;

namespace Annals.Tests.Deciders;

/// <summary>
/// A tally whose decisions wait for the test to release them, as a decision that calls out to a service waits for its answer:
/// an asynchronous decider and an asynchronous durable-state behaviour over the same rule.
/// </summary>
internal sealed class HeldDecision : IAsyncDecider<Add, Tally, Added>, IAsyncDurableStateBehavior<Add, Tally>
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Tally InitialState => TallyDecider.Instance.InitialState;

    /// <summary>Completes once a decision is waiting.</summary>
    public Task Entered => _entered.Task;

    /// <summary>
    /// Completes once a waiting decision was cancelled. A sender's wait and the decision's are cancelled by one token, one
    /// after the other: releasing the decision when the sender stopped waiting could still reach it first.
    /// </summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Lets every waiting and later decision go on: with the rule's answer, or rejected with the error given.</summary>
    public void Release(Exception? rejection = null) => _answer.TrySetResult(rejection);

    public async ValueTask<IEnumerable<Added>> DecideAsync(Add command, Tally state, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        Exception? rejection;
        try
        {
            rejection = await _answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _stopped.TrySetResult();
            throw;
        }

        if (rejection is not null)
        {
            throw rejection;
        }

        return TallyDecider.Instance.Decide(command, state);
    }

    public Tally Evolve(Tally state, Added @event) => TallyDecider.Instance.Evolve(state, @event);

    public async ValueTask<(Tally State, long Version)> HandleCommandAsync(Add command, long version, Tally state, CancellationToken cancellationToken)
    {
        var events = await DecideAsync(command, state, cancellationToken).ConfigureAwait(false);
        return (events.Aggregate(state, Evolve), version + 1);
    }
}
