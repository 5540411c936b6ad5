using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Processes;
using Annals.Samples.Bank.Projections;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Annals.Samples.Bank.Tests;

/// <summary>
/// One request, one trace: the HTTP server span, the Annals command or decision under it, the store commit under
/// that, and the projection batch that handled the committed events, parented by the commit through the trace
/// context stored in the events' metadata; for a transfer, on through the transfer process's delivery of the credit
/// to the receiver's entity, its commit, and the balances' batch of the credit.
/// </summary>
public sealed class TracingTests(TracingTests.TracedBankFactory factory, ITestOutputHelper output) : IClassFixture<TracingTests.TracedBankFactory>
{
    private readonly BankClient _bank = new(factory);

    [Fact]
    public async Task A_deposit_is_one_trace_from_the_request_to_the_projection_batch()
    {
        var id = BankClient.NewId("olga");
        var opened = await _bank.OpenAsync(id, "Olga");
        await _bank.WaitForProjectionAsync(BalancesProjection.Name, opened.Position);

        var path = $"/accounts/{id}/deposits";
        var response = await _bank.PostAsync(path, new AmountRequest(25));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var chain = await factory.Spans.WaitForAsync(spans => Chain(spans, path, "annals.entity.command", BalancesProjection.Name), "complete deposit trace");
        Print(chain.Trace);
        AssertChain(chain);
    }

    [Fact]
    public async Task A_transfer_is_one_trace_from_the_request_through_the_process_to_the_credits_projection_batch()
    {
        var from = BankClient.NewId("pat");
        var to = BankClient.NewId("quinn");
        await _bank.OpenAsync(from, "Pat", deposit: 50);
        var opened = await _bank.OpenAsync(to, "Quinn");
        await _bank.WaitForProjectionAsync(BalancesProjection.Name, opened.Position);

        var response = await _bank.PostAsync("/transfers", new TransferRequest(from, to, 20, BankClient.NewId("traced")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = (await response.Content.ReadFromJsonAsync<TransferResponse>())!;
        await _bank.WaitForProjectionAsync(BalancesProjection.Name, transfer.Position);

        // The debit: the request, the decision, its commit, and the batch of the process's event side that handled it.
        var chain = await factory.Spans.WaitForAsync(spans => Chain(spans, "/transfers", "annals.decide", $"process:{TransferProcess.Name}"), "transfer trace down to the process's batch");
        AssertChain(chain);

        // The credit: the process's delivery under its batch, the receiver's entity command under that, its commit, and
        // the balances' batch of the credit under that commit.
        var credit = await factory.Spans.WaitForAsync(spans => Credit(spans, chain, $"account.{to}"), "credit down to the balances' batch");
        Print(credit.Trace);
        Assert.All(credit.Trace, s => Assert.Equal(chain.Server.TraceId, s.TraceId));
        Assert.Equal(chain.Batch.SpanId, credit.Delivery.ParentSpanId);
        Assert.Equal(TransferProcess.Name, credit.Delivery.GetTagItem("annals.process"));
        Assert.True(IsUnder(credit.Command, credit.Delivery, credit.Trace), "the credit's command runs within the delivery");
        Assert.Equal($"account.{to}", credit.Command.GetTagItem("annals.entity"));
        Assert.True(IsUnder(credit.Commit, credit.Command, credit.Trace), "the credit's commit runs within its command");
        Assert.True(Continues(credit.Batch, credit.Commit), "the balances' batch continues the credit's commit");
        Assert.True(Names(credit.Batch, BalancesProjection.Name));
    }

    /// <summary>
    /// Under a transfer chain's process batch: the delivery of the command to <paramref name="entity"/>, its entity command,
    /// its commit and the balances' batch; null until all are exported. A batch may hold other transfers' events, whose
    /// deliveries are its children too.
    /// </summary>
    private static CreditChain? Credit(IReadOnlyList<Activity> spans, TraceChain chain, string entity)
    {
        var trace = spans.Where(s => s.TraceId == chain.Server.TraceId).ToList();
        foreach (var delivery in trace.Where(s => s.OperationName == "annals.process.deliver" && s.ParentSpanId == chain.Batch.SpanId))
        {
            var command = trace.FirstOrDefault(s => s.OperationName == "annals.entity.command" && Equals(s.GetTagItem("annals.entity"), entity) && IsUnder(s, delivery, trace));
            if (command is null)
            {
                continue;
            }

            foreach (var commit in trace.Where(s => s.OperationName == "annals.commit" && IsUnder(s, command, trace)))
            {
                var batch = spans.FirstOrDefault(s => s.OperationName == "annals.projection.batch" && Continues(s, commit) && Names(s, BalancesProjection.Name));
                if (batch is not null)
                {
                    return new CreditChain(trace, delivery, command, commit, batch);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The request's server span and, in its trace, the command span under it, a commit under that, and a batch of
    /// <paramref name="projection"/> whose parent is that commit; null until all of them have been exported.
    /// </summary>
    private static TraceChain? Chain(IReadOnlyList<Activity> spans, string path, string commandName, string projection)
    {
        var server = spans.LastOrDefault(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), path));
        if (server is null)
        {
            return null;
        }

        var trace = spans.Where(s => s.TraceId == server.TraceId).ToList();
        var command = trace.FirstOrDefault(s => s.OperationName == commandName && s.ParentSpanId == server.SpanId);
        var commits = command is null ? [] : trace.Where(s => s.OperationName == "annals.commit" && IsUnder(s, command, trace)).ToList();
        foreach (var commit in commits)
        {
            var batch = trace.FirstOrDefault(s => s.OperationName == "annals.projection.batch" && s.ParentSpanId == commit.SpanId && Names(s, projection));
            if (batch is not null)
            {
                return new TraceChain(trace, server, command!, commit, batch);
            }
        }

        return null;
    }

    private static void AssertChain(TraceChain chain)
    {
        var (trace, server, command, commit, batch) = chain;
        Assert.All(trace, s => Assert.Equal(server.TraceId, s.TraceId));
        Assert.Equal(server.SpanId, command.ParentSpanId);
        Assert.True(IsUnder(commit, command, trace), "the commit runs within the command");
        Assert.Equal(commit.SpanId, batch.ParentSpanId);
        Assert.Equal(commit.TraceId, batch.TraceId);
    }

    private static bool IsUnder(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }

        return false;
    }

    // A batch span names its projection in a tag; which tag is the core's choice, so any tag value that names it counts.
    /// <summary>
    /// Whether a projection batch continues a commit: as its child when the commit appended the batch's first event, else
    /// through a link, as a batch of events from many traces does.
    /// </summary>
    private static bool Continues(Activity batch, Activity commit) =>
        batch.ParentSpanId == commit.SpanId || batch.Links.Any(l => l.Context.SpanId == commit.SpanId && l.Context.TraceId == commit.TraceId);

    private static bool Names(Activity batch, string projection) =>
        batch.TagObjects.Any(t => t.Value is string value && (value == projection || value.StartsWith(projection + "/", StringComparison.Ordinal)))
        || batch.DisplayName.Contains(projection, StringComparison.Ordinal);

    private void Print(List<Activity> trace)
    {
        var text = new StringBuilder($"trace {trace[0].TraceId}\n");
        foreach (var root in trace.Where(s => !trace.Any(p => p.SpanId == s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
        {
            Append(text, root, trace, 0);
        }

        output.WriteLine(text.ToString());
    }

    private static void Append(StringBuilder text, Activity span, List<Activity> trace, int depth)
    {
        var tags = string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        text.Append(' ', depth * 2).Append($"{span.OperationName} [{span.Kind}] {span.Duration.TotalMilliseconds:0.0} ms  span {span.SpanId} parent {span.ParentSpanId}  {tags}\n");
        foreach (var child in trace.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc))
        {
            Append(text, child, trace, depth + 1);
        }
    }

    private sealed record TraceChain(List<Activity> Trace, Activity Server, Activity Command, Activity Commit, Activity Batch);

    private sealed record CreditChain(List<Activity> Trace, Activity Delivery, Activity Command, Activity Commit, Activity Batch);

    /// <summary>The bank with OpenTelemetry's in-memory exporter added to its tracing.</summary>
    public sealed class TracedBankFactory : BankFactory
    {
        public ExportedSpans Spans { get; } = [];

        protected override void ConfigureServices(IServiceCollection services) =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
    }
}
