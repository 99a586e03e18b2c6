using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Cli.Data;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// <c>contactcenter replay &lt;instance-id | export.jsonl&gt;</c> and <c>replay --all</c>: exact replay
/// of stored histories with <see cref="InstanceReplayer"/>. Exit codes: 0 every history matches,
/// 1 one diverges (or cannot be verified: a pinned definition version is missing), 2 a usage
/// error (unknown id, missing file or database).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliEnvironment env)
    {
        var target = new Argument<string?>("instance-id-or-file")
        {
            Description = "An instance id (a GUID) in the database, or a journal exported as JSON Lines (one event a line).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var all = new Option<bool>("--all") { Description = "Replay every instance in the database and print totals." };
        var data = CliOptions.Data();
        var command = new Command("replay", "Exact replay: re-run a history's recorded inputs on its pinned definition versions and check every event against the journal.");
        command.Arguments.Add(target);
        command.Options.Add(all);
        command.Options.Add(data);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(target), parse.GetValue(all), parse.GetValue(data)!, env, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? target, bool all, string dataFolder, CliEnvironment env, CancellationToken cancellationToken)
    {
        if (all == (target is not null))
        {
            env.Error.WriteLine(all
                ? "error: give either an instance id / export file or --all, not both"
                : "error: give an instance id, an export file (.jsonl) or --all");
            env.Error.WriteLine("usage: contactcenter replay <instance-id | file.jsonl> [--data <folder>] | contactcenter replay --all [--data <folder>]");
            return CliApp.Usage;
        }

        Guid instanceId = default;
        string? file = null;
        if (target is not null && !Guid.TryParse(target, out instanceId))
        {
            file = env.FullPath(target);
            if (!File.Exists(file))
            {
                env.Error.WriteLine($"error: '{target}' is neither an instance id (a GUID) nor an existing export file");
                return CliApp.Usage;
            }
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
                return all ? await AllAsync(data, env, cancellationToken).ConfigureAwait(false)
                    : file is not null ? await FileAsync(data, file, env, cancellationToken).ConfigureAwait(false)
                    : await OneAsync(data, instanceId, env, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                env.Error.WriteLine($"error: cannot read {data.DatabasePath}: {e.Message}");
                return CliApp.Usage;
            }
        }
    }

    private static async Task<int> OneAsync(DataFolder data, Guid id, CliEnvironment env, CancellationToken cancellationToken)
    {
        var record = await data.Instances.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            env.Error.WriteLine($"error: no instance {id} in {data.DatabasePath}");
            return CliApp.Usage;
        }

        var outcome = await VerifyAsync(data, record, cancellationToken).ConfigureAwait(false);
        env.Out.Write(outcome.Text);
        return outcome.Matches ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task<int> FileAsync(DataFolder data, string file, CliEnvironment env, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            env.Error.WriteLine($"error: {file} holds no journal events");
            return CliApp.Usage;
        }

        var name = Path.GetFileName(file);
        try
        {
            var report = await data.Replayer.VerifyExportAsync(text, cancellationToken).ConfigureAwait(false);
            env.Out.Write(Format(name, null, report, StartedKey(text)));
            return report.Matches ? CliApp.Ok : CliApp.Failed;
        }
        catch (CatalogException e)
        {
            env.Out.Write(CannotVerify(name, null, e));
            return CliApp.Failed;
        }
    }

    private static async Task<int> AllAsync(DataFolder data, CliEnvironment env, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var records = await data.Queries.QueryAsync(new InstanceQuery { Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        int ok = 0, failed = 0;
        long events = 0;
        foreach (var record in records.OrderBy(r => r.StartedAt).ThenBy(r => r.Id))
        {
            var outcome = await VerifyAsync(data, record, cancellationToken).ConfigureAwait(false);
            env.Out.Write(outcome.Text);
            events += outcome.EventsChecked;
            if (outcome.Matches)
            {
                ok++;
            }
            else
            {
                failed++;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        env.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records.Count} instance(s), {events} event(s) checked in {seconds} s: {ok} OK, {failed} diverge(s) or cannot be verified"));
        return failed == 0 ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task<(bool Matches, int EventsChecked, string Text)> VerifyAsync(DataFolder data, InstanceRecord record, CancellationToken cancellationToken)
    {
        var label = record.Id.ToString();
        try
        {
            var report = await data.Replayer.VerifyAsync(record.Id, cancellationToken).ConfigureAwait(false);
            return (report.Matches, report.Replay.EventsChecked, Format(label, record, report));
        }
        catch (CatalogException e)
        {
            return (false, 0, CannotVerify(label, record, e));
        }
    }

    /// <summary>One line per history, then for a divergence the journal's event and the replay's, as JSON.</summary>
    internal static string Format(string label, InstanceRecord? record, InstanceReplayReport report, string? startedKey = null)
    {
        var versions = Versions(record?.DefinitionKey ?? startedKey, report.PinnedVersions);
        var status = record is null ? string.Empty : $"  {record.Status}";
        var replay = report.Replay;
        var text = new StringBuilder();
        if (report.Matches)
        {
            text.Append(CultureInfo.InvariantCulture, $"OK        {label}  {versions}{status}  {replay.EventsChecked} event(s) checked, {replay.CommandsReplayed} input(s) replayed\n");
        }
        else if (replay.Divergence is { } divergence)
        {
            text.Append(CultureInfo.InvariantCulture, $"DIVERGES  {label}  {versions}{status}  at sequence {divergence.Sequence} of {replay.EventsInJournal}: {divergence.Reason}\n");
            text.Append("          expected (journal): ").Append(divergence.Expected ?? "(no event)").Append('\n');
            text.Append("          actual (replay):    ").Append(divergence.Actual ?? "(no event)").Append('\n');
        }
        else
        {
            // Every event replays, but the instance row's snapshot is not what they fold to.
            text.Append(CultureInfo.InvariantCulture, $"DIVERGES  {label}  {versions}{status}  the stored snapshot is not the state the journal's {replay.EventsInJournal} event(s) fold to (the journal itself replays)\n");
        }

        return text.ToString();
    }

    /// <summary>The definition key of an export's first event (instance-started@1), for the label only; null when it is not there.</summary>
    private static string? StartedKey(string jsonLines)
    {
        var first = jsonLines.AsSpan().TrimStart();
        var end = first.IndexOf('\n');
        try
        {
            using var json = JsonDocument.Parse(first[..(end < 0 ? first.Length : end)].ToString());
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("definitionKey", out var key) && key.ValueKind == JsonValueKind.String
                ? key.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string CannotVerify(string label, InstanceRecord? record, CatalogException e) =>
        $"DIVERGES  {label}  {Versions(record?.DefinitionKey, record?.PinnedVersions ?? new Dictionary<string, int>())}  cannot be verified: {e.Message}\n";

    /// <summary><c>live-chat@1 still-connected@1</c>: the instance's own definition first, then the ones it calls.</summary>
    private static string Versions(string? main, IReadOnlyDictionary<string, int> pinned) =>
        pinned.Count == 0
            ? "(no definition)"
            : string.Join(' ', pinned
                .OrderBy(p => p.Key == main ? 0 : 1).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}@{p.Value}")));
}
