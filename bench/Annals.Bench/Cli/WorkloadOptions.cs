using System.CommandLine;
using System.CommandLine.Parsing;

namespace Annals.Bench.Cli;

/// <summary>The options of the macro workloads; each command gets its own instances.</summary>
internal sealed class WorkloadOptions
{
    private readonly Option<string> _store = new("--store")
    {
        Description = "The store under test: sqlite, memory, postgres or nats (raw baselines: sqlite, postgres or nats).",
        DefaultValueFactory = _ => "sqlite",
    };

    private readonly Option<int> _writers = Positive(new("--writers") { Description = "Concurrent writer tasks, each on its own streams.", DefaultValueFactory = _ => 1 });

    private readonly Option<int> _events = Positive(new("--events") { Description = "Events measured in total (not counting warm-up).", DefaultValueFactory = _ => 10_000 });

    private readonly Option<int> _batch = Positive(new("--batch") { Description = "Events per commit.", DefaultValueFactory = _ => 1 });

    private readonly Option<string?> _db = new("--db") { Description = "SQLite: use this database file instead of a fresh temporary one; a read workload reuses the events it already holds." };

    private readonly Option<string?> _postgres = new("--postgres") { Description = "PostgreSQL (--store postgres): the Npgsql connection string of the server." };

    private readonly Option<string?> _nats = new("--nats") { Description = "NATS (--store nats): the server's URL, such as nats://127.0.0.1:4222; it needs JetStream." };

    private readonly Option<string?> _schema = new("--schema") { Description = "PostgreSQL: use (and keep) this schema instead of a fresh bench_<random> one; NATS: this store. A read workload reuses the events it already holds." };

    private readonly Option<bool> _keep = new("--keep") { Description = "PostgreSQL or NATS: keep the fresh schema or store instead of dropping it at the end." };

    private readonly Option<int> _streamsPerWriter = Positive(new("--streams-per-writer") { Description = "Streams each writer rotates among.", DefaultValueFactory = _ => 4 });

    private readonly Option<int> _streamSize = Positive(new("--stream-size") { Description = "Events per stream when preparing a store to read.", DefaultValueFactory = _ => 100 });

    private readonly Option<int> _warmup = NotNegative(new("--warmup") { Description = "Commits per writer, or at least this many passes over the first 1000 events (reads go on until the JIT is quiet), before measuring; 0 for none.", DefaultValueFactory = _ => 5 });

    private readonly Option<string> _durability = new("--durability")
    {
        Description = "full (SQLite synchronous=FULL, PostgreSQL synchronous_commit as the server has it) or relaxed (synchronous=NORMAL, synchronous_commit=off).",
        DefaultValueFactory = _ => "full",
    };

    private readonly Option<string> _sharing = new("--sharing")
    {
        Description = "How raw writers share SQLite: lock (one connection guarded by a lock) or connections (one each, with busy_timeout). PostgreSQL raw writers always have a connection each.",
        DefaultValueFactory = _ => "lock",
    };

    private readonly Option<string> _mode = new("--mode")
    {
        Description = "How a raw writer writes one commit: per-commit (a prepared INSERT per event), batched (one INSERT of unnest arrays, PostgreSQL) or copy (binary COPY, PostgreSQL).",
        DefaultValueFactory = _ => "per-commit",
    };

    private readonly bool _raw;
    private readonly bool _writes;
    private readonly bool _commonOnly;

    public WorkloadOptions(bool raw, bool writes)
        : this(raw, writes, commonOnly: false)
    {
    }

    private WorkloadOptions(bool raw, bool writes, bool commonOnly)
    {
        _raw = raw;
        _writes = writes;
        _commonOnly = commonOnly;
        if (raw)
        {
            _store.AcceptOnlyFromAmong("sqlite", "postgres", "nats");
        }
        else
        {
            _store.AcceptOnlyFromAmong("sqlite", "memory", "postgres", "nats");
        }

        _durability.AcceptOnlyFromAmong("full", "relaxed");
        _sharing.AcceptOnlyFromAmong("lock", "connections");
        _mode.AcceptOnlyFromAmong("per-commit", "batched", "copy");
        _schema.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !Data.BenchDatabase.IsSchemaName(value))
            {
                result.AddError($"--schema '{value}' is invalid: use lowercase letters, digits and '_', starting with a letter or '_'.");
            }
        });
    }

    /// <summary>Only the options every store workload shares (store, events, database, warm-up, durability), for a workload with shape options of its own (<c>decide</c>).</summary>
    public static WorkloadOptions Common() => new(raw: false, writes: false, commonOnly: true);

    public void AddTo(Command command)
    {
        command.Add(_store);
        command.Add(_events);
        if (_writes)
        {
            command.Add(_writers);
            command.Add(_batch);
            command.Add(_streamsPerWriter);
        }
        else if (!_commonOnly)
        {
            command.Add(_streamSize);
        }

        if (_raw && _writes)
        {
            command.Add(_sharing);
            command.Add(_mode);
        }

        command.Add(_db);
        command.Add(_postgres);
        command.Add(_nats);
        command.Add(_schema);
        command.Add(_keep);
        command.Add(_warmup);
        command.Add(_durability);
        command.Validators.Add(Validate);
    }

    public BenchSettings Read(string workload, ParseResult parse) => new(
        workload,
        parse.GetRequiredValue(_store),
        _raw,
        _writes ? parse.GetValue(_writers) : 1,
        parse.GetValue(_events),
        _writes ? parse.GetValue(_batch) : 0,
        parse.GetValue(_db),
        parse.GetValue(_streamsPerWriter),
        parse.GetValue(_streamSize),
        parse.GetValue(_warmup),
        parse.GetRequiredValue(_durability),
        _raw && _writes ? (parse.GetRequiredValue(_store) is "postgres" or "nats" ? "connections" : parse.GetRequiredValue(_sharing)) : "none",
        _raw && _writes ? parse.GetRequiredValue(_mode) : "none",
        parse.GetValue(_postgres),
        parse.GetValue(_schema),
        parse.GetValue(_keep),
        parse.GetValue(_nats));

    /// <summary>The options that belong to one backend are refused with the other.</summary>
    private void Validate(CommandResult result)
    {
        var store = result.GetValue(_store);
        var postgres = store == "postgres";
        var nats = store == "nats";
        if (postgres && string.IsNullOrWhiteSpace(result.GetValue(_postgres)))
        {
            result.AddError("--store postgres needs --postgres with a connection string.");
        }

        if (nats && string.IsNullOrWhiteSpace(result.GetValue(_nats)))
        {
            result.AddError("--store nats needs --nats with the server's URL.");
        }

        if (!postgres && Given(result, _postgres))
        {
            result.AddError("--postgres goes with --store postgres.");
        }

        if (!nats && Given(result, _nats))
        {
            result.AddError("--nats goes with --store nats.");
        }

        if (!postgres && !nats && (Given(result, _schema) || Given(result, _keep)))
        {
            result.AddError("--schema and --keep go with --store postgres or nats.");
        }

        if (nats && Given(result, _schema) && Annals.Storage.Providers.NameChecks.CheckStore(result.GetValue(_schema)) is { } problem)
        {
            result.AddError($"--schema names the NATS store here, and '{result.GetValue(_schema)}' cannot: {problem}.");
        }

        if ((postgres || nats) && Given(result, _db))
        {
            result.AddError($"--db names a SQLite file; with --store {store} use --schema.");
        }

        if ((postgres || nats) && Given(result, _sharing))
        {
            result.AddError("--sharing is for SQLite; PostgreSQL and NATS raw writers have a connection each.");
        }

        if (!postgres && _raw && _writes && Given(result, _mode) && result.GetValue(_mode) != "per-commit")
        {
            result.AddError("--mode batched and copy are PostgreSQL baselines; SQLite's and NATS's raw-append are per-commit.");
        }

        if (Given(result, _keep) && Given(result, _schema))
        {
            result.AddError("--keep is for a fresh schema; a schema named with --schema is always kept.");
        }

        if (nats && result.GetValue(_durability) == "relaxed")
        {
            result.AddError("--durability relaxed is for SQLite and PostgreSQL; a NATS server syncs to disk on its own schedule.");
        }
    }

    public static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    public static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{option.Name} must be at least 1.");
            }
        });
        return option;
    }

    private static Option<int> NotNegative(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{option.Name} must not be negative.");
            }
        });
        return option;
    }
}
