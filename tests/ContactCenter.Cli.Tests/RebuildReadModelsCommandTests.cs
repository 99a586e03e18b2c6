using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary><c>rebuild-read-models</c> on a real database made by the runtime: the rebuild gives back what the commits kept inline.</summary>
[Collection(DemoDatabaseCollection.Name)]
public sealed class RebuildReadModelsCommandTests(DemoDatabase demo) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cc-cli-rebuild-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Rebuild_AfterTheReadModelsWereLost_GivesBackWhatTheCommitsKept_ExitsZero()
    {
        var data = demo.CopyTo(_temp);
        var inline = await DumpAsync(data);
        inline.Should().Contain(l => l.StartsWith("counter|conversations-started|", StringComparison.Ordinal), "the commits kept counters inline");
        inline.Should().Contain(l => l.StartsWith("counter|element-instances:live-chat|", StringComparison.Ordinal), "the commits counted the live chat's elements");
        await CliRun.ExecuteAsync(data, "DELETE FROM read_model_counters");

        var (code, output, error) = await CliRun.RunAsync(_temp, ["rebuild-read-models", "--data", data, "--workflows", Path.Combine(CliRun.Root, "workflows"), "--batch", "2"]);

        error.Should().BeEmpty();
        code.Should().Be(0);
        output.Should().Contain("rebuilt read models from 3 journals").And.Contain("2 batches");
        (await DumpAsync(data)).Should().Equal(inline);
    }

    [Fact]
    public async Task Rebuild_WithoutADatabase_ExitsTwo_AndCreatesNothing()
    {
        var (code, _, error) = await CliRun.RunAsync(_temp, ["rebuild-read-models", "--data", Path.Combine(_temp, "nowhere")]);

        code.Should().Be(2);
        error.Should().Contain("no database");
        Directory.Exists(Path.Combine(_temp, "nowhere")).Should().BeFalse();
    }

    [Fact]
    public async Task Rebuild_WithABatchBelowOne_ExitsTwo()
    {
        var (code, _, error) = await CliRun.RunAsync(_temp, ["rebuild-read-models", "--data", demo.DataFolder, "--batch", "0"]);

        code.Should().Be(2);
        error.Should().Contain("--batch");
    }

    /// <summary>Every read-model row and counter as text, in key order.</summary>
    private static async Task<List<string>> DumpAsync(string dataFolder)
    {
        var lines = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "contactcenter.db")};Pooling=False");
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "SELECT 'row', model, instance_id, instance_version, queue, partition, deadline_at, warning_at, enqueued_at, paused, summary FROM read_model_rows ORDER BY model, instance_id",
            "SELECT 'counter', counter, dimension, bucket, amount FROM read_model_counters ORDER BY counter, bucket, dimension",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        return lines;
    }
}
