using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// <c>contactcenter publish &lt;key&gt; &lt;version&gt; --effective-from ... --server ... --user ...</c>:
/// signs in to a running server with a bearer token and publishes an approved definition version.
/// Exit codes: 0 published, 1 the server refused (sign-in failed, 403, 404, 409, ...) or could not
/// be reached, 2 a usage error (no password, bad URL or date).
/// </summary>
internal static partial class PublishCommand
{
    public const string PasswordVariable = ServerSession.PasswordVariable;

    public static Command Create(CliEnvironment env)
    {
        var key = new Argument<string>("key") { Description = "The definition key (live-chat, whatsapp, ...)." };
        var version = new Argument<int>("version") { Description = "The approved version to publish." };
        var effectiveFrom = new Option<string>("--effective-from")
        {
            Description = "When new instances start binding to the version: ISO 8601 with its offset, e.g. 2026-04-01T00:00:00+07:00.",
            Required = true,
        };
        var server = new Option<string>("--server") { Description = "The server's base URL, e.g. http://127.0.0.1:5080.", Required = true };
        var user = new Option<string>("--user") { Description = "Who signs in: a ProcessOwner, Approver or Admin.", Required = true };
        var password = new Option<string?>("--password") { Description = $"The password (default: the {PasswordVariable} environment variable, which keeps it out of the process list)." };
        var command = new Command("publish", "Publish an approved definition version on a running server, effective from a date.");
        command.Arguments.Add(key);
        command.Arguments.Add(version);
        command.Options.Add(effectiveFrom);
        command.Options.Add(server);
        command.Options.Add(user);
        command.Options.Add(password);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Request(parse.GetValue(key)!, parse.GetValue(version), parse.GetValue(effectiveFrom)!, parse.GetValue(server)!, parse.GetValue(user)!, parse.GetValue(password)),
            env,
            cancellationToken));
        return command;
    }

    private sealed record Request(string Key, int Version, string EffectiveFrom, string Server, string User, string? Password);

    private static async Task<int> RunAsync(Request request, CliEnvironment env, CancellationToken cancellationToken)
    {
        var password = request.Password ?? env.GetVariable(PasswordVariable);
        var validDate = TryParseInstant(request.EffectiveFrom, out var effectiveFrom);
        var problem = ServerSession.ArgumentProblem(request.Server, password)
            ?? (request.Version < 1 ? "the version must be 1 or more"
            : !validDate ? $"--effective-from '{request.EffectiveFrom}' is not an ISO 8601 date and time with an offset (e.g. 2026-04-01T00:00:00+07:00 or 2026-03-31T17:00:00Z)"
            : null);
        if (problem is not null)
        {
            env.Error.WriteLine($"error: {problem}");
            return CliApp.Usage;
        }

        return await ServerSession.RunAsync(env, request.Server, request.User, password!, async session =>
        {
            var route = string.Create(CultureInfo.InvariantCulture, $"api/definitions/{Uri.EscapeDataString(request.Key)}/versions/{request.Version}/publish");
            using var response = await session.SendAsync(HttpMethod.Post, route, new { effectiveFrom }, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                env.Out.WriteLine(await PublishedAsync(response, cancellationToken).ConfigureAwait(false));
                return CliApp.Ok;
            }

            var what = $"{request.Key} v{request.Version}";
            var reason = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $"the server did not accept the sign-in of {request.User} for publishing",
                HttpStatusCode.Forbidden => $"{request.User} may not publish definitions (ProcessOwner, Approver or Admin only)",
                HttpStatusCode.NotFound => $"there is no {what}",
                HttpStatusCode.Conflict => $"{what} cannot be published now",
                _ => $"publishing {what} failed",
            };
            env.Error.WriteLine($"error: {reason} ({ServerSession.Status(response)}){await ServerSession.ProblemAsync(response, cancellationToken).ConfigureAwait(false)}");
            return CliApp.Failed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>An offset is required: a bare local time would mean the CLI machine's zone, which is rarely WIB.</remarks>
    internal static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return ExplicitOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitOffset();

    private static async Task<string> PublishedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var v = body.RootElement;
        string Get(string name) => v.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.ToString() : "-";
        return $"published {Get("key")} v{Get("version")} \"{Get("name")}\": status {Get("status")}, effective from {Get("effectiveFrom")}, in effect now: {(Get("inEffect") == "True" ? "yes" : "no")}; "
            + $"maker {Get("maker")}, checker {Get("checker")}, approver {Get("approver")}, {Get("contentHash")}";
    }
}
