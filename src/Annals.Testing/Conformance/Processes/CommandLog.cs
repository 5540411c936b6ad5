using Annals.Processes;

namespace Annals.Testing.Conformance.Processes;

/// <summary>An application handler of the process's commands: records every delivery, fails those it is told to, and wakes the tests waiting for one.</summary>
internal sealed class CommandLog
{
    private readonly Lock _gate = new();
    private readonly List<(object Command, CommandDelivery Delivery)> _all = [];
    private readonly List<(Func<IReadOnlyList<(object Command, CommandDelivery Delivery)>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Says whether a delivery fails, and with what; <see langword="null"/> for success.</summary>
    public Func<object, CommandDelivery, Exception?>? Fail { get; set; }

    public IReadOnlyList<(object Command, CommandDelivery Delivery)> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Routes the transfer's commands here.</summary>
    public CommandRoutes Register(CommandRoutes routes) => routes
        .ToHandler<Debit>(HandleAsync)
        .ToHandler<Credit>(HandleAsync)
        .ToHandler<Refund>(HandleAsync);

    public ValueTask HandleAsync<TCommand>(TCommand command, CommandDelivery delivery, CancellationToken cancellationToken)
        where TCommand : notnull
    {
        lock (_gate)
        {
            _all.Add((command, delivery));
            foreach (var waiter in _waiters.ToList())
            {
                if (waiter.Condition(_all))
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }

        return Fail?.Invoke(command, delivery) is { } error ? ValueTask.FromException(error) : ValueTask.CompletedTask;
    }

    /// <summary>Completes when the deliveries so far meet the condition.</summary>
    public Task WaitForAsync(Func<IReadOnlyList<(object Command, CommandDelivery Delivery)>, bool> condition)
    {
        lock (_gate)
        {
            if (condition(_all))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task;
        }
    }

    /// <summary>Completes when a command like this one was delivered.</summary>
    public Task WaitForAsync(object command) => WaitForAsync(all => all.Any(d => d.Command.Equals(command)));

    public int Count(object command) => All.Count(d => d.Command.Equals(command));
}
