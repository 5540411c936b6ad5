using Annals.Bench.Cli;

return await BenchCli.Build().Parse(args).InvokeAsync();
