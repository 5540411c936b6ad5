using Annals.Storage;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>A server restart ends every lock's session: shared stores take their locks again, exclusive ones refuse to write.</summary>
[Collection(nameof(ServerRestartCollection))]
[Trait("Category", "ServerRestart")]
public sealed class StoreLockRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public async Task After_a_restart_a_shared_store_commits_again_and_an_exclusive_one_fails_with_StoreLockLostException()
    {
        var sharedSchema = PostgresFixture.NewSchema();
        var exclusiveSchema = PostgresFixture.NewSchema();
        await using var shared = await PostgresFixture.OpenAsync(sharedSchema);
        await using var exclusive = await PostgresFixture.OpenAsync(exclusiveSchema, o => o.Exclusive = true);
        await shared.AppendAsync(Account, ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        await exclusive.AppendAsync(Account, ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        try
        {
            await PostgresServer.RestartAsync();
            await exclusive.StoreLock.WhenLost.WaitAsync(Patience);

            // The shared store's first commit finds its kept connection closed and its lock gone: it reconnects and takes the lock again.
            var deposited = await shared.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited"));
            await Assert.ThrowsAsync<StoreLockLostException>(async () => await exclusive.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited")));

            // (Reads are not asserted on the stores from before the restart: their pooled read connections fail once each.)
            Assert.Equal(2, deposited.LastPosition);
            await using var reopened = await PostgresFixture.OpenAsync(exclusiveSchema, o => o.Exclusive = true);
            var after = await reopened.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited"));
            Assert.Equal(2, after.FirstPosition);
        }
        finally
        {
            await PostgresServer.EnsureRunningAsync();
        }
    }
}
