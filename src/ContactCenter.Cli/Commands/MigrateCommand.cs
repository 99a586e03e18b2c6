using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// <c>contactcenter migrate propose|dry-run|approve|apply|show ...</c>: moving running instances
/// between versions of a flow through a running server's <c>/api/migrations</c>, with its four
/// eyes (the server knows who signs in). Exit codes: 0 done (and, for a dry run or an application,
/// every instance can move or moved), 1 the server refused, could not be reached, or an instance
/// cannot move or did not move, 2 a usage error.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var server = new Option<string>("--server") { Description = "The server's base URL, e.g. http://127.0.0.1:5080.", Required = true, Recursive = true };
        var user = new Option<string>("--user") { Description = "Who signs in: a ProcessOwner proposes, an Approver (not the proposer) approves.", Required = true, Recursive = true };
        var password = new Option<string?>("--password") { Description = $"The password (default: the {ServerSession.PasswordVariable} environment variable).", Recursive = true };
        var command = new Command("migrate", "Move running instances of a flow from one version to another: propose, dry-run, approve, apply (four eyes), or show a proposal.");
        command.Options.Add(server);
        command.Options.Add(user);
        command.Options.Add(password);

        var key = new Argument<string>("key") { Description = "The definition key whose running instances move (live-chat, still-connected, ...)." };
        var from = new Argument<int>("from") { Description = "The version they run on." };
        var to = new Argument<int>("to") { Description = "The published version they move to." };
        var instances = new Option<string[]>("--instance") { Description = "An instance to move (repeat the option for more).", AllowMultipleArgumentsPerToken = true };
        var allRunning = new Option<bool>("--all-running") { Description = "Every running instance on the version (as its flow or a flow it calls)." };
        var maps = new Option<string[]>("--map") { Description = "A hand mapping old=new over the one derived from ids and purposes (old= removes an entry).", AllowMultipleArgumentsPerToken = true };
        var note = new Option<string?>("--note") { Description = "Why: shown to the approver." };
        var propose = new Command("propose", "A process owner proposes moving instances; the mapping is derived from ids and declared purposes, with --map over it.");
        propose.Arguments.Add(key);
        propose.Arguments.Add(from);
        propose.Arguments.Add(to);
        propose.Options.Add(instances);
        propose.Options.Add(allRunning);
        propose.Options.Add(maps);
        propose.Options.Add(note);
        propose.SetAction((parse, ct) => RunAsync(env, parse.GetValue(server)!, parse.GetValue(user)!, parse.GetValue(password), session => ProposeAsync(
            env,
            session,
            parse.GetValue(key)!,
            parse.GetValue(from),
            parse.GetValue(to),
            parse.GetValue(instances) ?? [],
            parse.GetValue(allRunning),
            parse.GetValue(maps) ?? [],
            parse.GetValue(note),
            ct), ct));
        command.Subcommands.Add(propose);

        foreach (var (name, description, route) in new[]
        {
            ("dry-run", "Check every chosen instance against the proposal, moving nothing: which can move and why not.", "dry-run"),
            ("approve", "An approver who is not the proposer approves a proposal that has had a dry run.", "approve"),
            ("apply", "Apply an approved proposal: each instance still where the dry run saw it moves.", "apply"),
            ("show", "Show a proposal, its dry run and its result.", null),
        })
        {
            var id = new Argument<string>("proposal-id") { Description = "The proposal's id (from propose)." };
            var step = new Command(name, description);
            step.Arguments.Add(id);
            step.SetAction((parse, ct) => RunAsync(env, parse.GetValue(server)!, parse.GetValue(user)!, parse.GetValue(password), session => StepAsync(env, session, parse.GetValue(id)!, route, ct), ct));
            command.Subcommands.Add(step);
        }

        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment env, string server, string user, string? password, Func<ServerSession, Task<int>> work, CancellationToken cancellationToken)
    {
        password ??= env.GetVariable(ServerSession.PasswordVariable);
        if (ServerSession.ArgumentProblem(server, password) is { } problem)
        {
            env.Error.WriteLine($"error: {problem}");
            return CliApp.Usage;
        }

        return await ServerSession.RunAsync(env, server, user, password!, work, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ProposeAsync(CliEnvironment env, ServerSession session, string key, int from, int to, string[] instances, bool allRunning, string[] maps, string? note, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var text in instances.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Guid.TryParse(text, out var id))
            {
                env.Error.WriteLine($"error: --instance '{text}' is not an instance id");
                return CliApp.Usage;
            }

            ids.Add(id);
        }

        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in maps)
        {
            var at = entry.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                env.Error.WriteLine($"error: --map '{entry}' is not old=new (an element id of version {from}, '=', one of version {to} or nothing)");
                return CliApp.Usage;
            }

            mapping[entry[..at].Trim()] = entry[(at + 1)..].Trim();
        }

        if (allRunning == (ids.Count > 0))
        {
            env.Error.WriteLine("error: name the instances with --instance, or move every running one with --all-running (one of the two)");
            return CliApp.Usage;
        }

        if (allRunning)
        {
            using var candidates = await session.SendAsync(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"api/migrations/candidates?key={Uri.EscapeDataString(key)}&version={from}"), null, cancellationToken).ConfigureAwait(false);
            if (!candidates.IsSuccessStatusCode)
            {
                return await RefusedAsync(env, candidates, $"listing the running instances of {key} v{from}", cancellationToken).ConfigureAwait(false);
            }

            using var body = JsonDocument.Parse(await candidates.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            ids.AddRange(body.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            if (ids.Count == 0)
            {
                env.Error.WriteLine($"error: no running instance runs {key} v{from}; nothing to propose");
                return CliApp.Failed;
            }
        }

        using var response = await session.SendAsync(HttpMethod.Post, "api/migrations", new { definitionKey = key, fromVersion = from, toVersion = to, mapping, instanceIds = ids, note }, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await PrintAsync(env, response, null, cancellationToken).ConfigureAwait(false)
            : await RefusedAsync(env, response, $"proposing to move {key} v{from} -> v{to}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> StepAsync(CliEnvironment env, ServerSession session, string idText, string? route, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(idText, out var id))
        {
            env.Error.WriteLine($"error: '{idText}' is not a proposal id");
            return CliApp.Usage;
        }

        var url = $"api/migrations/{id}" + (route is null ? string.Empty : "/" + route);
        using var response = await session.SendAsync(route is null ? HttpMethod.Get : HttpMethod.Post, url, route is null ? null : new { }, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await PrintAsync(env, response, route, cancellationToken).ConfigureAwait(false)
            : await RefusedAsync(env, response, route is null ? $"reading migration {id}" : $"{route} of migration {id}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RefusedAsync(CliEnvironment env, HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var reason = response.StatusCode switch
        {
            HttpStatusCode.Forbidden => $"{what} was refused",
            HttpStatusCode.NotFound => $"{what}: not found",
            HttpStatusCode.Conflict => $"{what} is not possible now",
            HttpStatusCode.UnprocessableEntity => $"{what}: the mapping is refused",
            _ => $"{what} failed",
        };
        env.Error.WriteLine($"error: {reason} ({ServerSession.Status(response)}){await ServerSession.ProblemAsync(response, cancellationToken).ConfigureAwait(false)}");
        return CliApp.Failed;
    }

    /// <summary>The proposal in a few lines; for a dry run or an application, exit 1 unless every instance can move or moved.</summary>
    private static async Task<int> PrintAsync(CliEnvironment env, HttpResponseMessage response, string? step, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var m = body.RootElement;
        string Get(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.ToString() : "-";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"migration {Get(m, "id")}: {Get(m, "definitionKey")} v{Get(m, "fromVersion")} -> v{Get(m, "toVersion")}, {Get(m, "status")}; ")
            .Append(CultureInfo.InvariantCulture, $"proposed by {Get(m, "proposedBy")}, {m.GetProperty("instanceIds").GetArrayLength()} instance(s), {m.GetProperty("mapping").EnumerateObject().Count()} mapping entries")
            .Append(m.TryGetProperty("decidedBy", out var decided) && decided.ValueKind == JsonValueKind.String ? $"; decided by {decided.GetString()}" : string.Empty)
            .Append(m.TryGetProperty("appliedBy", out var applied) && applied.ValueKind == JsonValueKind.String ? $"; applied by {applied.GetString()}" : string.Empty)
            .Append('\n');
        var allWell = true;
        foreach (var (list, verb) in new[] { ("dryRun", "dry run"), ("result", "result") })
        {
            if (!m.TryGetProperty(list, out var outcomes) || outcomes.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{verb}:\n");
            foreach (var o in outcomes.EnumerateArray())
            {
                var ok = list == "result" ? o.GetProperty("moved").GetBoolean() : o.GetProperty("canMove").GetBoolean();
                var label = list == "result" ? (ok ? "MOVED" : "NOT MOVED") : (ok ? "CAN MOVE" : "BLOCKED");
                var reasons = string.Join("; ", o.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()));
                text.Append(CultureInfo.InvariantCulture, $"  {label,-9}  {Get(o, "instanceId")}  journal at {Get(o, "journalVersion")}{(reasons.Length > 0 ? ": " + reasons : string.Empty)}\n");
                if ((list == "dryRun" && step == "dry-run") || (list == "result" && step == "apply"))
                {
                    allWell &= ok;
                }
            }
        }

        env.Out.Write(text.ToString());
        return allWell ? CliApp.Ok : CliApp.Failed;
    }
}
