using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>What only the PostgreSQL store shows of tags: the schema step that adds them, and the query plans that use their index.</summary>
public sealed class PostgresTagIndexTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_version_2_schema_is_migrated_and_its_events_read_back_without_tags()
    {
        var schema = PostgresFixture.NewSchema();
        var scripts = SchemaScripts.Load(typeof(PostgresEventStore).Assembly).Where(s => s.Version <= 2);
        var id = Guid.NewGuid();
        await PostgresFixture.ScalarAsync(
            $"CREATE SCHEMA {schema}; CREATE TABLE {schema}.schema_version (version integer NOT NULL);"
            + string.Join('\n', scripts.Select(s => s.Script.Replace("{schema}", schema, StringComparison.Ordinal) + $"\nINSERT INTO {schema}.schema_version (version) VALUES ({s.Version});"))
            + $"""

            INSERT INTO {schema}.events (position, event_id, stream, revision, type, data, metadata, timestamp) VALUES (1, '{id}', 'course.c1', 0, 'Opened', '\x7b7d', NULL, 0);
            INSERT INTO {schema}.streams (stream, first_revision, last_revision, last_position, deleted) VALUES ('course.c1', 0, 0, 1, false);
            UPDATE {schema}.counters SET value = 1 WHERE name = 'head';
            SELECT 1;
            """);

        await using var store = await PostgresFixture.OpenAsync(schema);

        var old = Assert.Single(await store.ReadAllAsync().ToListAsync());
        Assert.Equal((id, 0), (old.EventId, old.Tags.Count));
        Assert.Equal(3, (await store.GetCatalogueAsync()).SchemaVersion);
        var tagged = await store.AppendAsync(StreamName.Parse("course.c1"), ExpectedRevision.Exact(0), EventData.FromText("Enrolled", "{}", tags: ["course:c1"]));
        Assert.Equal([tagged.FirstPosition], (await store.ReadAllAsync(0, EventFilter.Tagged("course:c1")).ToListAsync()).Select(e => e.Position));
    }

    [Fact]
    public async Task Tag_reads_and_append_conditions_use_the_tag_index()
    {
        var schema = PostgresFixture.NewSchema();
        await using (var store = await PostgresFixture.OpenAsync(schema))
        {
            // Enough events that scanning the log costs more than walking the index: 200 courses of 100 enrolments.
            for (var course = 0; course < 200; course++)
            {
                await store.AppendAsync(StreamName.Parse($"course.c{course}"), ExpectedRevision.NoStream, [.. Enumerable.Range(0, 100).Select(i =>
                    EventData.FromText(i % 2 == 0 ? "Enrolled" : "Left", "{}", tags: [$"course:c{course}", $"student:s{i}"]))]);
            }
        }

        await PostgresFixture.ScalarAsync($"ANALYZE {schema}.events; ANALYZE {schema}.event_tags; SELECT 1;");
        var query = EventFilter.Query(["Enrolled"], ["course:c7", "student:s4"]).Or(EventFilter.Tagged("student:s9"));

        await using var read = new NpgsqlCommand();
        read.Parameters.Add(new NpgsqlParameter { Value = 1000L });
        read.Parameters.Add(new NpgsqlParameter { Value = 512 });
        var readPlan = await ExplainAsync(read, PostgresLogQueries.LogPage(schema, query, read.Parameters).Sql, "tag query read");

        await using var check = new NpgsqlCommand();
        check.Parameters.Add(new NpgsqlParameter { Value = 1000L });
        var checkPlan = await ExplainAsync(check, PostgresLogQueries.LatestMatching(schema, query, check.Parameters).Sql, "append condition check");

        foreach (var plan in new[] { readPlan, checkPlan })
        {
            // Each item walks its first tag's rows after the position in the (tag, position) index and probes it for the
            // other tags; events are fetched by position. Nothing reads the events table whole or in position order.
            Assert.Contains("Index Scan on event_tags_pkey", plan.Replace("Index Scan using event_tags_pkey", "Index Scan on event_tags_pkey", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("Index Cond: ((tag = 'course:c7'::text) AND (\"position\" > '1000'::bigint))", plan, StringComparison.Ordinal);
            Assert.Contains("Index Cond: ((tag = 'student:s9'::text) AND (\"position\" > '1000'::bigint))", plan, StringComparison.Ordinal);
            Assert.Contains("(tag = 'student:s4'::text)", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Index Cond: ((\"position\" > '1000'::bigint)", plan, StringComparison.Ordinal);
        }

        Assert.Contains("Index Cond: (\"position\" = ANY (", readPlan, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(NpgsqlCommand command, string sql, string what)
    {
        await using var connection = await PostgresFixture.DataSource.OpenConnectionAsync();
        command.Connection = connection;

        // A generic plan: the one a prepared statement gets, with the values shown as the parameters they are.
        command.CommandText = "EXPLAIN (COSTS OFF) " + sql;
        await using (var inline = connection.CreateCommand())
        {
            inline.CommandText = "SET plan_cache_mode = force_custom_plan";
            await inline.ExecuteNonQueryAsync();
        }

        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        var plan = string.Join('\n', lines);
        output.WriteLine($"-- {what}\n{sql}\n{plan}\n");
        return plan;
    }
}
