using System.Text.Json;
using Annals.Samples.Bank;
using Annals.Samples.Bank.Domain;
using Annals.Samples.Bank.Endpoints;
using Annals.Samples.Bank.Processes;
using Annals.Samples.Bank.Projections;
using Annals.Samples.Bank.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.Services.Configure<BankOptions>(builder.Configuration.GetSection(BankOptions.Section));

// SQLite in the content root by default; the configuration section "Annals" chooses another file or backend
// (Annals:Backend = Sqlite | Postgres | InMemory, Annals:Sqlite:Path, Annals:Postgres:ConnectionString, Annals:Postgres:Schema).
builder.Services.AddAnnals(annals => annals
    .UseSqlite(Path.Combine(builder.Environment.ContentRootPath, "bank.db"))
    .AddTypes(typeof(Program).Assembly)
    .AddEntities((engine, _) => engine.Register(AccountEntity.Category, AccountEntity.Instance))
    .AddProjection<BalancesProjection>(BalancesProjection.Name, BalancesProjection.Options)
    .AddProcess(TransferProcess.Name, sp => new TransferProcess(sp.GetRequiredService<IOptions<BankOptions>>().Value.RefundAfter), TransferProcess.Options));

builder.Services.AddSingleton<BalanceStore>();
builder.Services.AddSingleton<AccountCommandSender>();
builder.Services.AddProblemDetails();
// The store answers, one check per projection (Unhealthy when faulted), and one for the processes (Degraded while a command is parked).
builder.Services.AddHealthChecks().AddAnnals();
builder.Services.AddBankTelemetry(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapAccounts();
app.MapTransfers();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
app.MapPrometheusScrapingEndpoint();

app.Run();

// The health report as JSON: the overall status, and each check's status and description.
static Task WriteHealthAsync(HttpContext context, HealthReport report)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(JsonSerializer.Serialize(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
    }));
}

public partial class Program;
