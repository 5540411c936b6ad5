namespace Annals.Storage;

/// <summary>
/// Runs the caller's SQL inside the commit's transaction, so that its writes commit or roll back with the batch.
/// The semantics are those of <see cref="CommitBatch.ExecuteSql"/>.
/// </summary>
public sealed class SqlWorkOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="work">The work: given the connection and transaction, and the commit's cancellation token.</param>
    public SqlWorkOperation(Func<SqlWorkContext, CancellationToken, ValueTask> work)
        : base(OperationKind.SqlWork)
    {
        ArgumentNullException.ThrowIfNull(work);
        Work = work;
    }

    /// <summary>The work: given the connection and transaction, and the commit's cancellation token.</summary>
    public Func<SqlWorkContext, CancellationToken, ValueTask> Work { get; }
}
