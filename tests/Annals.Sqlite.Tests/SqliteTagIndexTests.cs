using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Sqlite.Tests;

/// <summary>What only the SQLite store shows of tags: the schema step that adds them, and the query plans that use their index.</summary>
public sealed class SqliteTagIndexTests(SqliteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task A_version_2_file_is_migrated_and_its_events_read_back_without_tags()
    {
        var path = fixture.NewPath();
        var scripts = SchemaScripts.Load(typeof(SqliteEventStore).Assembly);
        var id = Guid.NewGuid();
        Raw(path, string.Join('\n', scripts.Where(s => s.Version <= 2).Select(s => s.Script)) + $"""
            PRAGMA user_version = 2;
            INSERT INTO events (position, event_id, stream, revision, type, data, metadata, timestamp)
                VALUES (1, X'{Convert.ToHexString(id.ToByteArray())}', 'course.c1', 0, 'Opened', X'7B7D', NULL, 0);
            INSERT INTO streams (stream, first_revision, last_revision, last_position, deleted) VALUES ('course.c1', 0, 0, 1, 0);
            UPDATE counters SET value = 1 WHERE name = 'head';
            """);

        await using var store = await SqliteEventStore.OpenAsync(path);

        var old = Assert.Single(await store.ReadAllAsync().ToListAsync());
        Assert.Equal((id, 0), (old.EventId, old.Tags.Count));
        Assert.Equal(3, (await store.GetCatalogueAsync()).SchemaVersion);
        var tagged = await store.AppendAsync(StreamName.Parse("course.c1"), ExpectedRevision.Exact(0), EventData.FromText("Enrolled", "{}", tags: ["course:c1"]));
        Assert.Equal([tagged.FirstPosition], (await store.ReadAllAsync(0, EventFilter.Tagged("course:c1")).ToListAsync()).Select(e => e.Position));
    }

    [Fact]
    public async Task Tag_reads_and_append_conditions_use_the_tag_index()
    {
        var path = fixture.NewPath();
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await store.AppendAsync(StreamName.Parse($"course.c{batch}"), ExpectedRevision.NoStream, [.. Enumerable.Range(0, 50).Select(i =>
                    EventData.FromText(i % 2 == 0 ? "Enrolled" : "Left", "{}", tags: [$"course:c{batch}", $"student:s{i}"]))]);
            }
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Raw(connection, "ANALYZE;");
        var query = EventFilter.Query(["Enrolled"], ["course:c7", "student:s4"]).Or(EventFilter.Tagged("student:s9"));

        using var read = connection.CreateCommand();
        SqliteLogQueries.PrepareLogPage(read, query, 100, 1000, 512);
        var readPlan = Explain(read, "tag query read");

        using var check = connection.CreateCommand();
        SqliteLogQueries.PrepareLatestMatching(check, query, 100);
        var checkPlan = Explain(check, "append condition check");

        foreach (var plan in new[] { readPlan, checkPlan })
        {
            // Each item walks the tag's rows after the position by the primary key of event_tags, and looks the other
            // tags and the event up by key: nothing reads the events table in position order filtering every row.
            Assert.Contains("SEARCH t0 USING PRIMARY KEY (tag=? AND position>?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH t1 EXISTS USING PRIMARY KEY (tag=? AND position=?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH events USING INTEGER PRIMARY KEY (rowid=?)", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN events", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("rowid>?", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN t0", plan, StringComparison.Ordinal);
        }
    }

    private string Explain(SqliteCommand command, string what)
    {
        var sql = command.CommandText;
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var lines = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                lines.Add($"{reader.GetInt64(0),3} {reader.GetInt64(1),3}  {reader.GetString(3)}");
            }
        }

        var plan = string.Join('\n', lines);
        output.WriteLine($"-- {what}\n{sql}\n{plan}\n");
        return plan;
    }

    private static void Raw(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Raw(connection, sql);
    }

    private static void Raw(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
