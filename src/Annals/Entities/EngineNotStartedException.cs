namespace Annals.Entities;

/// <summary>A command was sent to an entity engine that has not been started.</summary>
public sealed class EngineNotStartedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    public EngineNotStartedException()
        : base("The entity engine has not been started; call StartAsync first.")
    {
    }
}
