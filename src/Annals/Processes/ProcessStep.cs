namespace Annals.Processes;

/// <summary>Starts a step: <c>ProcessStep.With(state).Send(…).Schedule(…)</c>.</summary>
public static class ProcessStep
{
    /// <summary>A step that leaves the instance in <paramref name="state"/>, with nothing sent or scheduled yet.</summary>
    /// <typeparam name="TState">The state.</typeparam>
    /// <param name="state">The instance's new state.</param>
    /// <returns>The step.</returns>
    public static ProcessStep<TState> With<TState>(TState state) => new(state);
}
