using System.Text;
using Annals.InMemory;
using Annals.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Tests.Core;

public sealed class CommitRetryTests
{
    private static readonly CommitBatch Batch = new CommitBatch()
        .Append(StreamName.For("account", "1"), ExpectedRevision.Any, new EventData(Guid.NewGuid(), "Opened", "{}"u8.ToArray()));

    private static CommitRetryOptions Options(BackOffClock time, int maxAttempts = 5) =>
        new() { MaxAttempts = maxAttempts, TimeProvider = time };

    [Fact]
    public async Task A_commit_that_succeeds_is_tried_once_and_waits_for_nothing()
    {
        var writer = FlakyWriter.FailingTimes(0);
        var time = new BackOffClock(advance: true);

        var result = await writer.CommitWithRetryAsync(Batch, Options(time));

        Assert.Equal(FlakyWriter.Success, result);
        Assert.Equal(1, writer.Attempts);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Store_unavailable_is_retried_with_the_same_batch_until_a_commit_succeeds()
    {
        var writer = FlakyWriter.FailingTimes(3);
        var time = new BackOffClock(advance: true);
        using var cancellation = new CancellationTokenSource();

        var result = await writer.CommitWithRetryAsync(Batch, Options(time), cancellation.Token);

        Assert.Equal(FlakyWriter.Success, result);
        Assert.Equal(4, writer.Attempts);
        Assert.All(writer.AttemptsMade, a => Assert.Same(Batch, a.Batch));
        Assert.All(writer.AttemptsMade, a => Assert.Equal(cancellation.Token, a.Token));
        Assert.Equal(3, time.Delays.Count);
    }

    [Fact]
    public async Task The_last_store_unavailable_is_rethrown_after_MaxAttempts()
    {
        var writer = FlakyWriter.FailingTimes(int.MaxValue);
        var time = new BackOffClock(advance: true);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => writer.CommitWithRetryAsync(Batch, Options(time, maxAttempts: 4)).AsTask());

        Assert.Equal("attempt 4 lost the connection", error.Message);
        Assert.Equal(4, writer.Attempts);
        Assert.Equal(3, time.Delays.Count);
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        var writer = FlakyWriter.FailingTimes(1);
        var time = new BackOffClock(advance: true);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => writer.CommitWithRetryAsync(Batch, Options(time, maxAttempts: 1)).AsTask());

        Assert.Equal("attempt 1 lost the connection", error.Message);
        Assert.Equal(1, writer.Attempts);
        Assert.Empty(time.Delays);
    }

    public static TheoryData<Exception> NotRetried => new()
    {
        new WrongExpectedRevisionException(StreamName.For("account", "1"), ExpectedRevision.NoStream, 3),
        new InvalidBatchException("the batch is empty"),
        new AnnalsException("PostgreSQL failed on store 'x': syntax error (42601)", null),
        new InvalidOperationException("a bug"),
        new TimeoutException("a provider error that escaped the store"),
    };

    [Theory]
    [MemberData(nameof(NotRetried))]
    public async Task Errors_other_than_store_unavailable_are_thrown_at_once(Exception error)
    {
        var writer = new FlakyWriter(_ => error);
        var time = new BackOffClock(advance: true);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => writer.CommitWithRetryAsync(Batch, Options(time)).AsTask());

        Assert.Same(error, thrown);
        Assert.Equal(1, writer.Attempts);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task An_error_after_a_retry_is_thrown_without_further_retries()
    {
        var conflict = new WrongExpectedRevisionException(StreamName.For("account", "1"), ExpectedRevision.Exact(0), 1);
        var writer = new FlakyWriter(attempt => attempt == 1 ? new StoreUnavailableException("lost", null) : conflict);

        var thrown = await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => writer.CommitWithRetryAsync(Batch, Options(new BackOffClock(advance: true))).AsTask());

        Assert.Same(conflict, thrown);
        Assert.Equal(2, writer.Attempts);
    }

    [Fact]
    public async Task The_back_off_doubles_from_FirstDelay_up_to_MaxDelay_with_jitter_in_the_upper_half()
    {
        var writer = FlakyWriter.FailingTimes(int.MaxValue);
        var time = new BackOffClock(advance: true);
        var options = new CommitRetryOptions { MaxAttempts = 7, FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5), TimeProvider = time };

        await Assert.ThrowsAsync<StoreUnavailableException>(() => writer.CommitWithRetryAsync(Batch, options).AsTask());

        double[] ceilings = [1, 2, 4, 5, 5, 5];
        var delays = time.Delays;
        Assert.Equal(ceilings.Length, delays.Count);
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, ceilings[i] / 2, ceilings[i]);
        }
    }

    [Fact]
    public async Task Jitter_spreads_the_back_off_of_writers_that_fail_together()
    {
        var time = new BackOffClock(advance: true);
        for (var writer = 0; writer < 20; writer++)
        {
            await FlakyWriter.FailingTimes(1).CommitWithRetryAsync(Batch, Options(time));
        }

        // 20 draws from [50 ms, 100 ms] that all coincide would mean no jitter at all.
        Assert.True(time.Delays.Distinct().Count() > 1, $"Every writer waited {time.Delays[0]}.");
        Assert.All(time.Delays, d => Assert.InRange(d.TotalMilliseconds, 50, 100));
    }

    [Fact]
    public async Task The_defaults_are_five_attempts_from_100_ms_up_to_5_s_on_the_system_clock()
    {
        var options = new CommitRetryOptions();
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.FirstDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxDelay);
        Assert.Same(TimeProvider.System, options.TimeProvider);

        // Without options: the defaults, on the real clock (back-offs of at most 100 + 200 ms).
        var writer = FlakyWriter.FailingTimes(2);
        Assert.Equal(FlakyWriter.Success, await writer.CommitWithRetryAsync(Batch));
        Assert.Equal(3, writer.Attempts);
    }

    [Fact]
    public async Task Cancelling_during_the_back_off_ends_the_commit_without_another_attempt()
    {
        var writer = FlakyWriter.FailingTimes(int.MaxValue);
        var time = new BackOffClock(advance: false);
        using var cancellation = new CancellationTokenSource();

        var commit = writer.CommitWithRetryAsync(Batch, Options(time), cancellation.Token).AsTask();
        await time.FirstTimer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(commit.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => commit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, writer.Attempts);
    }

    [Fact]
    public async Task A_cancelled_token_is_given_to_the_writer_and_not_retried()
    {
        var writer = FlakyWriter.FailingTimes(0);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.CommitWithRetryAsync(Batch, Options(new BackOffClock(advance: true)), cancellation.Token).AsTask());

        Assert.Equal(1, writer.Attempts);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_when_the_method_is_called()
    {
        var writer = FlakyWriter.FailingTimes(0);
        Assert.Throws<ArgumentNullException>(() => { _ = ((IEventWriter)null!).CommitWithRetryAsync(Batch); });
        Assert.Throws<ArgumentNullException>(() => { _ = writer.CommitWithRetryAsync(null!); });

        var attempts = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = writer.CommitWithRetryAsync(Batch, new CommitRetryOptions { MaxAttempts = 0 }); });
        Assert.StartsWith("CommitRetryOptions.MaxAttempts must be at least 1.", attempts.Message);
        var first = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = writer.CommitWithRetryAsync(Batch, new CommitRetryOptions { FirstDelay = TimeSpan.FromMilliseconds(-1) }); });
        Assert.StartsWith("CommitRetryOptions.FirstDelay must not be negative.", first.Message);
        var max = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = writer.CommitWithRetryAsync(Batch, new CommitRetryOptions { FirstDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }); });
        Assert.StartsWith("CommitRetryOptions.MaxDelay must be at least FirstDelay.", max.Message);
        var clock = Assert.Throws<ArgumentException>(() => { _ = writer.CommitWithRetryAsync(Batch, new CommitRetryOptions { TimeProvider = null! }); });
        Assert.StartsWith("CommitRetryOptions.TimeProvider must not be null.", clock.Message);
        Assert.Equal(0, writer.Attempts);
    }

    [Fact]
    public async Task A_retry_after_a_lost_acknowledgement_stores_nothing_twice_and_returns_the_original_result()
    {
        await using var store = new InMemoryEventStore();
        var stream = StreamName.For("account", "7");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Opened", "{}"u8.ToArray()));
        var deposits = Enumerable.Range(0, 3).Select(i => new EventData(Guid.NewGuid(), "Deposited", Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""))).ToArray();
        var batch = new CommitBatch().Append(stream, ExpectedRevision.Exact(0), deposits);
        var writer = new AckLosingWriter(store, lostAcknowledgements: 2);

        var result = await writer.CommitWithRetryAsync(batch, Options(new BackOffClock(advance: true)));

        Assert.Equal(3, writer.Commits);
        Assert.Equal(new AppendResult(stream, 1, 3, 2, 4), result.Appends.Single());
        var stored = await store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(4, stored.Count);
        Assert.Equal(deposits.Select(d => d.EventId), stored.Skip(1).Select(e => e.EventId));
        Assert.Equal(4, await store.GetHeadPositionAsync());
    }

    /// <summary>
    /// The fake clock, noting each delay asked of it. With <c>advance</c> it moves forward by each delay as soon as it is
    /// asked (on the thread pool), so a back-off costs no real time; without it, it stands still and no delay ends.
    /// </summary>
    private sealed class BackOffClock(bool advance) : FakeTimeProvider
    {
        private readonly List<TimeSpan> _delays = [];
        private readonly TaskCompletionSource _firstTimer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        /// <summary>Completes when the first timer has been made: something waits on this clock.</summary>
        public Task FirstTimer => _firstTimer.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            var timer = base.CreateTimer(callback, state, dueTime, period);
            _firstTimer.TrySetResult();
            if (advance)
            {
                ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
            }

            return timer;
        }
    }
}
