using Annals.Deciders;

namespace Annals.Cli.Demo;

/// <summary>
/// Holds the first decisions until all of them are being made, so that concurrent commands surely
/// decide on the same state and all but one lose the race: the demo's race, made certain.
/// </summary>
internal sealed class LockstepDecider(IDecider<IAccountCommand, AccountState, IAccountEvent> inner, int participants)
    : IDecider<IAccountCommand, AccountState, IAccountEvent>
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _allDeciding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _decisions;

    public AccountState InitialState => inner.InitialState;

    public IEnumerable<IAccountEvent> Decide(IAccountCommand command, AccountState state)
    {
        var decision = Interlocked.Increment(ref _decisions);
        if (decision == participants)
        {
            _allDeciding.TrySetResult();
        }
        else if (decision < participants)
        {
            // Blocks a pool thread briefly: Decide is synchronous, as deciders are. A decision made
            // again after a lost race passes straight through.
            _allDeciding.Task.Wait(MaxWait);
        }

        return inner.Decide(command, state);
    }

    public AccountState Evolve(AccountState state, IAccountEvent @event) => inner.Evolve(state, @event);
}
