using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Cli.Data;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// <c>contactcenter export &lt;instance-id&gt;</c> and <c>export --all --out &lt;folder&gt;</c>: an
/// instance's journal as JSON Lines (each row's JSON exactly as stored, the server's
/// <c>/journal/export</c> form, which <c>replay</c> reads back) or as CSV for outside QA tools.
/// Exit codes: 0 written, 2 a usage error (unknown id, missing database, bad arguments).
/// </summary>
internal static class ExportCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create(CliEnvironment env)
    {
        var id = new Argument<string?>("instance-id") { Description = "The instance (a GUID).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Export every instance, one file each (journal-<id>.jsonl or .csv), into the --out folder." };
        var format = new Option<string>("--format") { Description = "jsonl (default: one event a line, as stored) or csv (sequence, at, type, actor, element, json).", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var output = new Option<string?>("--out") { Description = "The file to write (default: standard output); with --all, the folder." };
        var data = CliOptions.Data();
        var command = new Command("export", "Write an instance's journal as JSON Lines or CSV.");
        command.Arguments.Add(id);
        command.Options.Add(all);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(data);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(id), parse.GetValue(all), parse.GetValue(format)!, parse.GetValue(output), parse.GetValue(data)!, env, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? target, bool all, string format, string? output, string dataFolder, CliEnvironment env, CancellationToken cancellationToken)
    {
        const string Usage = "usage: contactcenter export <instance-id> [--format jsonl|csv] [--out <file>] [--data <folder>] | contactcenter export --all --out <folder> [--format jsonl|csv] [--data <folder>]";
        Guid id = default;
        string? problem = all == (target is not null) ? "give an instance id or --all"
            : all && output is null ? "--all needs --out <folder>"
            : target is not null && !Guid.TryParse(target, out id) ? $"'{target}' is not an instance id (a GUID)"
            : null;
        if (problem is not null)
        {
            env.Error.WriteLine($"error: {problem}");
            env.Error.WriteLine(Usage);
            return CliApp.Usage;
        }

        var data = DataFolder.Open(env.FullPath(dataFolder), env.Error, env.GetVariable);
        if (data is null)
        {
            return CliApp.Usage;
        }

        await using (data.ConfigureAwait(false))
        {
            try
            {
                return all
                    ? await AllAsync(data, format, env.FullPath(output!), env, cancellationToken).ConfigureAwait(false)
                    : await OneAsync(data, id, format, output is null ? null : env.FullPath(output), env, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                env.Error.WriteLine($"error: cannot read {data.DatabasePath}: {e.Message}");
                return CliApp.Usage;
            }
        }
    }

    private static async Task<int> OneAsync(DataFolder data, Guid id, string format, string? file, CliEnvironment env, CancellationToken cancellationToken)
    {
        if (await data.Instances.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            env.Error.WriteLine($"error: no instance {id} in {data.DatabasePath}");
            return CliApp.Usage;
        }

        var rows = await data.Instances.ReadJournalAsync(id, cancellationToken).ConfigureAwait(false);
        var text = Render(rows, format);
        if (file is null)
        {
            env.Out.Write(text);
        }
        else
        {
            await File.WriteAllTextAsync(file, text, Utf8, cancellationToken).ConfigureAwait(false);
            env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} event(s) of {id} written to {file}"));
        }

        return CliApp.Ok;
    }

    private static async Task<int> AllAsync(DataFolder data, string format, string folder, CliEnvironment env, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var records = await data.Queries.QueryAsync(new InstanceQuery { Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        long events = 0;
        foreach (var record in records.OrderBy(r => r.StartedAt).ThenBy(r => r.Id))
        {
            var rows = await data.Instances.ReadJournalAsync(record.Id, cancellationToken).ConfigureAwait(false);
            events += rows.Count;
            await File.WriteAllTextAsync(Path.Combine(folder, $"journal-{record.Id}.{format}"), Render(rows, format), Utf8, cancellationToken).ConfigureAwait(false);
        }

        env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records.Count} instance(s), {events} event(s) written to {folder}"));
        return CliApp.Ok;
    }

    private static string Render(IReadOnlyList<JournalRecord> rows, string format) =>
        format == "csv" ? JournalCsv.Format(rows) : JsonLines(rows);

    /// <summary>Each row's JSON exactly as stored, so a tampered row stays tampered in the export.</summary>
    private static string JsonLines(IEnumerable<JournalRecord> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            text.Append(row.Json).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>A journal as RFC 4180 CSV: sequence, at, type, actor, element, json.</summary>
/// <remarks>
/// Values are written unaltered (no spreadsheet formula escaping): the file is for QA tools, and
/// the json column must stay byte for byte the stored event. <c>element</c> is the event's
/// elementId, or for events without one a short summary built from its ids (never customer text).
/// </remarks>
internal static class JournalCsv
{
    public const string Header = "sequence,at,type,actor,element,json";

    public static string Format(IEnumerable<JournalRecord> rows)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            string at, element;
            try
            {
                using var json = JsonDocument.Parse(row.Json);
                var root = json.RootElement;
                at = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("at", out var a) && a.ValueKind == JsonValueKind.String
                    ? a.GetString()!
                    : row.At.ToString("o", CultureInfo.InvariantCulture);
                element = Element(root);
            }
            catch (JsonException)
            {
                // A row that no longer parses is still exported, as stored; replay names it.
                at = row.At.ToString("o", CultureInfo.InvariantCulture);
                element = string.Empty;
            }

            text.Append(row.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(at)).Append(',')
                .Append(Field(row.Type)).Append(',')
                .Append(Field(row.Actor ?? string.Empty)).Append(',')
                .Append(Field(element)).Append(',')
                .Append(Field(row.Json)).Append("\r\n");
        }

        return text.ToString();
    }

    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Element(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind is JsonValueKind.String or JsonValueKind.Number ? p.ToString() : null;

        if (Text("elementId") is { } elementId)
        {
            return elementId;
        }

        if (Text("definitionKey") is { } key)
        {
            return Text("definitionVersion") is { } version ? $"{key}@{version}" : key;
        }

        if (Text("workItemId") is { } workItem)
        {
            return Text("outcome") is { } outcome ? $"work item {workItem}: {outcome}" : $"work item {workItem}";
        }

        return Text("timerId") is { } timer ? $"timer {timer}"
            : Text("messageName") is { } message ? $"message {message}"
            : Text("subscriptionId") is { } subscription ? $"subscription {subscription}"
            : Text("scopeId") is { } scope ? $"scope {scope}"
            : Text("kind") is { } kind ? kind
            : Text("reason") ?? string.Empty;
    }
}
