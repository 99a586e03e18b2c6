using FluentAssertions;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary><c>replay</c> on a real database made by the runtime: OK, tampering caught at its sequence, usage errors.</summary>
[Collection(DemoDatabaseCollection.Name)]
public sealed class ReplayCommandTests(DemoDatabase demo) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cc-cli-replay-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Replay_OneInstance_PrintsOkWithItsVersions_ExitsZero()
    {
        var (code, output, error) = await CliRun.RunAsync(_temp, ["replay", demo.LiveChat.ToString(), "--data", demo.DataFolder]);

        code.Should().Be(0, error);
        output.Should().MatchRegex($@"^OK\s+{demo.LiveChat}\s+live-chat@1 still-connected@1\s+Running\s+\d+ event\(s\) checked, \d+ input\(s\) replayed\n$");
    }

    [Fact]
    public async Task Replay_All_VerifiesEveryInstance_PrintsTotals_ExitsZero()
    {
        var (code, output, error) = await CliRun.RunAsync(_temp, ["replay", "--all", "--data", demo.DataFolder]);

        code.Should().Be(0, error);
        foreach (var id in demo.All)
        {
            output.Should().MatchRegex($@"(?m)^OK\s+{id}\s");
        }

        output.Should().MatchRegex(@"(?m)^3 instance\(s\), \d+ event\(s\) checked in \d+\.\d s: 3 OK, 0 diverge\(s\) or cannot be verified$");
    }

    [Fact]
    public async Task Replay_DataFolderRelativeToCurrentDirectory_DefaultsToData()
    {
        demo.CopyTo(_temp);

        (await CliRun.RunAsync(_temp, ["replay", demo.Email.ToString()])).Code.Should().Be(0);
    }

    [Fact]
    public async Task Replay_RowTamperedWithSqlUpdate_ExitsOne_NamingTheSequence()
    {
        var data = demo.CopyTo(_temp);
        var changed = await CliRun.ExecuteAsync(
            data,
            "UPDATE journal_events SET json = replace(json, 'terhubung', 'TERHUBUNG') WHERE upper(instance_id) = upper($id) AND type = 'prompt-sent@1'",
            ("$id", demo.LiveChat.ToString()));
        changed.Should().Be(1);
        var sequence = await PromptSequenceAsync(data);

        var (code, output, _) = await CliRun.RunAsync(_temp, ["replay", demo.LiveChat.ToString(), "--data", data]);

        code.Should().Be(1);
        output.Should().Contain($"DIVERGES  {demo.LiveChat}  live-chat@1 still-connected@1  Running  at sequence {sequence} of ");
        output.Should().MatchRegex(@"(?m)^\s+expected \(journal\): \{""type"":""prompt-sent@1"".*TERHUBUNG");
        output.Should().MatchRegex(@"(?m)^\s+actual \(replay\):\s+\{""type"":""prompt-sent@1"".*terhubung");

        var all = await CliRun.RunAsync(_temp, ["replay", "--all", "--data", data]);
        all.Code.Should().Be(1);
        all.Out.Should().Contain("3 instance(s)").And.Contain(": 2 OK, 1 diverge(s)");
    }

    [Fact]
    public async Task Replay_SnapshotThatDisagreesWithTheJournal_ExitsOne()
    {
        var data = demo.CopyTo(_temp);
        (await CliRun.ExecuteAsync(data, "UPDATE instances SET snapshot = replace(snapshot, '\"terhubung\"', '\"putus\"') WHERE upper(id) = upper($id)", ("$id", demo.LiveChat.ToString()))).Should().Be(1);

        var (code, output, _) = await CliRun.RunAsync(_temp, ["replay", demo.LiveChat.ToString(), "--data", data]);

        code.Should().Be(1);
        output.Should().Contain("the stored snapshot is not the state the journal's");
    }

    [Fact]
    public async Task Replay_ExportedFile_RoundTrips_ExitsZero()
    {
        var file = Path.Combine(_temp, "chat.jsonl");
        var export = await CliRun.RunAsync(_temp, ["export", demo.LiveChat.ToString(), "--data", demo.DataFolder, "--out", file]);
        export.Code.Should().Be(0, export.Err);

        var (code, output, error) = await CliRun.RunAsync(_temp, ["replay", "chat.jsonl", "--data", demo.DataFolder]);

        code.Should().Be(0, error);
        output.Should().MatchRegex(@"^OK\s+chat\.jsonl\s+live-chat@1 still-connected@1\s+\d+ event\(s\) checked");
    }

    [Fact]
    public async Task Replay_ExportWithATamperedLine_ExitsOne()
    {
        var file = Path.Combine(_temp, "email.jsonl");
        (await CliRun.RunAsync(_temp, ["export", demo.Email.ToString(), "--data", demo.DataFolder, "--out", file])).Code.Should().Be(0);
        var lines = File.ReadAllLines(file);
        var index = Array.FindIndex(lines, l => l.Contains("\"work-item-completed@1\"", StringComparison.Ordinal) && l.Contains("\"outcome\":\"Tidak\"", StringComparison.Ordinal));
        index.Should().BeGreaterThan(0);
        lines[index] = lines[index].Replace("\"outcome\":\"Tidak\"", "\"outcome\":\"Ya\"", StringComparison.Ordinal);
        File.WriteAllLines(file, lines);

        var (code, output, _) = await CliRun.RunAsync(_temp, ["replay", file, "--data", demo.DataFolder]);

        code.Should().Be(1);
        output.Should().MatchRegex(@"^DIVERGES  email\.jsonl  email@1[^\n]*  at sequence \d+ of \d+: ");
    }

    [Fact]
    public async Task Replay_MissingDatabase_ExitsTwo_AndCreatesNoFile()
    {
        var empty = Path.Combine(_temp, "empty");
        Directory.CreateDirectory(empty);

        var (code, _, error) = await CliRun.RunAsync(_temp, ["replay", "--all", "--data", empty]);
        var (defaultCode, _, _) = await CliRun.RunAsync(_temp, ["replay", demo.Email.ToString()]);

        code.Should().Be(2);
        defaultCode.Should().Be(2);
        error.Should().Contain($"no database at {Path.Combine(empty, "contactcenter.db")}").And.Contain("Nothing was created");
        Directory.EnumerateFileSystemEntries(empty).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(_temp).Should().BeEquivalentTo([empty], "not even ./data appears");
    }

    [Fact]
    public async Task Replay_UnknownId_ExitsTwo()
    {
        var id = Guid.Parse("0b9e4a57-1f8c-4c1e-9d2a-5f6e7a8b9c0d");

        var (code, output, error) = await CliRun.RunAsync(_temp, ["replay", id.ToString(), "--data", demo.DataFolder]);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain($"no instance {id} in ");
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("replay", "--all", "0b9e4a57-1f8c-4c1e-9d2a-5f6e7a8b9c0d")]
    [InlineData("replay", "no-such-file.jsonl")]
    [InlineData("replay", "--all", "--bogus")]
    public async Task Replay_BadArguments_ExitTwo(params string[] args)
    {
        var (code, _, error) = await CliRun.RunAsync(_temp, [.. args, "--data", demo.DataFolder]);

        code.Should().Be(2);
        error.Should().StartWith("error: ");
    }

    [Fact]
    public async Task Replay_EmptyExportFile_ExitsTwo()
    {
        await File.WriteAllTextAsync(Path.Combine(_temp, "empty.jsonl"), "\n");

        var (code, _, error) = await CliRun.RunAsync(_temp, ["replay", "empty.jsonl", "--data", demo.DataFolder]);

        code.Should().Be(2);
        error.Should().Contain("holds no journal events");
    }

    private async Task<long> PromptSequenceAsync(string data)
    {
        var file = Path.Combine(_temp, "prompt.jsonl");
        (await CliRun.RunAsync(_temp, ["export", demo.LiveChat.ToString(), "--data", data, "--out", file])).Code.Should().Be(0);
        var lines = await File.ReadAllLinesAsync(file);
        return Array.FindIndex(lines, l => l.StartsWith("{\"type\":\"prompt-sent@1\"", StringComparison.Ordinal)) + 1;
    }
}
