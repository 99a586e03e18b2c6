using System.Text.Json;
using ContactCenter.Cli.Commands;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Cli.Tests;

/// <summary><c>export</c>: JSON Lines exactly as stored, CSV for QA tools, every instance into a folder.</summary>
[Collection(DemoDatabaseCollection.Name)]
public sealed class ExportCommandTests(DemoDatabase demo) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("cc-cli-export-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Export_JsonLinesToStandardOutput_OneEventALineInSequence()
    {
        var (code, output, error) = await CliRun.RunAsync(_temp, ["export", demo.Email.ToString(), "--data", demo.DataFolder]);

        code.Should().Be(0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCountGreaterThan(20);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64()).Should().Equal(Enumerable.Range(1, lines.Length).Select(i => (long)i));
        lines[0].Should().StartWith("{\"type\":\"instance-started@1\",\"sequence\":1,");
        lines[^1].Should().StartWith("{\"type\":\"instance-completed@1\"");
    }

    [Fact]
    public async Task Export_Csv_HasTheColumnsAndTheStoredJsonOfEveryEvent()
    {
        var jsonl = (await CliRun.RunAsync(_temp, ["export", demo.LiveChat.ToString(), "--data", demo.DataFolder])).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = Path.Combine(_temp, "chat.csv");

        var (code, output, error) = await CliRun.RunAsync(_temp, ["export", demo.LiveChat.ToString(), "--data", demo.DataFolder, "--format", "csv", "--out", file]);

        code.Should().Be(0, error);
        output.Should().Be($"{jsonl.Length} event(s) of {demo.LiveChat} written to {file}\n");
        var rows = ParseCsv(await File.ReadAllTextAsync(file));
        rows[0].Should().Equal("sequence", "at", "type", "actor", "element", "json");
        rows.Skip(1).Select(r => r[5]).Should().Equal(jsonl, "the json column is each stored event, byte for byte");
        rows[1].Take(5).Should().Equal("1", JsonDocument.Parse(jsonl[0]).RootElement.GetProperty("at").GetString(), "instance-started@1", "agent.sari", "live-chat@1");
        rows.Should().Contain(r => r[2] == "work-item-created@1" && r[4] == "Task_SalamPembuka");
        rows.Should().Contain(r => r[2] == "prompt-sent@1" && r[4].StartsWith("Task_Send2", StringComparison.Ordinal));
        rows.Should().Contain(r => r[2] == "message-received@1" && r[3] == "c-42" && r[4] == "message customer-message");
    }

    [Fact]
    public async Task Export_All_WritesOneFilePerInstanceIntoTheFolder()
    {
        var folder = Path.Combine(_temp, "out");

        var (code, output, error) = await CliRun.RunAsync(_temp, ["export", "--all", "--out", "out", "--data", demo.DataFolder]);

        code.Should().Be(0, error);
        output.Should().MatchRegex($@"^3 instance\(s\), \d+ event\(s\) written to {System.Text.RegularExpressions.Regex.Escape(folder)}\n$");
        Directory.EnumerateFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo(demo.All.Select(id => $"journal-{id}.jsonl"));
        (await CliRun.RunAsync(_temp, ["replay", Path.Combine(folder, $"journal-{demo.InboundCall}.jsonl"), "--data", demo.DataFolder])).Code.Should().Be(0);
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export", "--all")]
    [InlineData("export", "not-a-guid")]
    [InlineData("export", "0b9e4a57-1f8c-4c1e-9d2a-5f6e7a8b9c0d")]
    [InlineData("export", "0b9e4a57-1f8c-4c1e-9d2a-5f6e7a8b9c0d", "--format", "xml")]
    public async Task Export_BadArgumentsOrUnknownId_ExitTwo(params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(_temp, [.. args, "--data", demo.DataFolder]);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().StartWith("error: ");
    }

    [Fact]
    public async Task Export_MissingDatabase_ExitsTwo_AndCreatesNoFile()
    {
        var (code, _, _) = await CliRun.RunAsync(_temp, ["export", demo.Email.ToString()]);

        code.Should().Be(2);
        Directory.EnumerateFileSystemEntries(_temp).Should().BeEmpty();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void CsvField_QuotesOnlyWhatNeedsIt(string value, string expected) => JournalCsv.Field(value).Should().Be(expected);

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
