using System.CommandLine;

namespace Annals.Bench.Cli;

/// <summary>The options of the macro workloads; each command gets its own instances.</summary>
internal sealed class WorkloadOptions
{
    private readonly Option<string> _store = new("--store")
    {
        Description = "The store under test: sqlite or memory.",
        DefaultValueFactory = _ => "sqlite",
    };

    private readonly Option<int> _writers = Positive(new("--writers") { Description = "Concurrent writer tasks, each on its own streams.", DefaultValueFactory = _ => 1 });

    private readonly Option<int> _events = Positive(new("--events") { Description = "Events measured in total (not counting warm-up).", DefaultValueFactory = _ => 10_000 });

    private readonly Option<int> _batch = Positive(new("--batch") { Description = "Events per commit.", DefaultValueFactory = _ => 1 });

    private readonly Option<string?> _db = new("--db") { Description = "Use this database file instead of a fresh temporary one; a read workload reuses the events it already holds." };

    private readonly Option<int> _streamsPerWriter = Positive(new("--streams-per-writer") { Description = "Streams each writer rotates among.", DefaultValueFactory = _ => 4 });

    private readonly Option<int> _streamSize = Positive(new("--stream-size") { Description = "Events per stream when preparing a store to read.", DefaultValueFactory = _ => 100 });

    private readonly Option<int> _warmup = NotNegative(new("--warmup") { Description = "Commits per writer, or passes over the first 1000 events, before measuring.", DefaultValueFactory = _ => 5 });

    private readonly Option<string> _durability = new("--durability")
    {
        Description = "full (synchronous=FULL, the store's default) or relaxed (synchronous=NORMAL).",
        DefaultValueFactory = _ => "full",
    };

    private readonly Option<string> _sharing = new("--sharing")
    {
        Description = "How raw writers share SQLite: lock (one connection guarded by a lock) or connections (one each, with busy_timeout).",
        DefaultValueFactory = _ => "lock",
    };

    private readonly bool _raw;
    private readonly bool _writes;

    public WorkloadOptions(bool raw, bool writes)
    {
        _raw = raw;
        _writes = writes;
        _store.AcceptOnlyFromAmong("sqlite", "memory");
        _durability.AcceptOnlyFromAmong("full", "relaxed");
        _sharing.AcceptOnlyFromAmong("lock", "connections");
    }

    public void AddTo(Command command)
    {
        if (!_raw)
        {
            command.Add(_store);
        }

        command.Add(_events);
        if (_writes)
        {
            command.Add(_writers);
            command.Add(_batch);
            command.Add(_streamsPerWriter);
        }
        else
        {
            command.Add(_streamSize);
        }

        if (_raw && _writes)
        {
            command.Add(_sharing);
        }

        command.Add(_db);
        command.Add(_warmup);
        command.Add(_durability);
    }

    public BenchSettings Read(string workload, ParseResult parse) => new(
        workload,
        _raw ? "raw" : parse.GetRequiredValue(_store),
        _writes ? parse.GetValue(_writers) : 1,
        parse.GetValue(_events),
        _writes ? parse.GetValue(_batch) : 0,
        parse.GetValue(_db),
        parse.GetValue(_streamsPerWriter),
        parse.GetValue(_streamSize),
        parse.GetValue(_warmup),
        parse.GetRequiredValue(_durability),
        _raw && _writes ? parse.GetRequiredValue(_sharing) : "none");

    private static Option<int> Positive(Option<int> option)
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
