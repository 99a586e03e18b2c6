using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Cli.Commands;

/// <summary>
/// A signed-in conversation with a running server for the commands that act through its API
/// (<c>publish</c>, <c>migrate</c>): the password from <c>--password</c> or <c>CONTACTCENTER_PASSWORD</c>,
/// a bearer token from <c>POST /api/auth/login</c>, and one wording for every refusal (the problem
/// details' title, detail and field errors) and for an unreachable or non-JSON server.
/// </summary>
internal sealed class ServerSession : IDisposable
{
    public const string PasswordVariable = "CONTACTCENTER_PASSWORD";

    private readonly HttpClient _http;
    private readonly string _token;

    private ServerSession(HttpClient http, string token)
    {
        _http = http;
        _token = token;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>What is wrong with the connection arguments before any call, or null.</summary>
    public static string? ArgumentProblem(string server, string? password) =>
        string.IsNullOrEmpty(password) ? $"no password: pass --password or set {PasswordVariable}"
        : !Uri.TryCreate(server, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) ? $"--server '{server}' is not an http(s) URL"
        : null;

    /// <summary>
    /// Signs in and runs <paramref name="work"/>; a failed sign-in, an unreachable server, a timeout
    /// or an answer that is not JSON is one <c>error:</c> line and <see cref="CliApp.Failed"/>.
    /// </summary>
    public static async Task<int> RunAsync(CliEnvironment env, string server, string user, string password, Func<ServerSession, Task<int>> work, CancellationToken cancellationToken)
    {
        var baseAddress = new Uri(server.EndsWith('/') ? server : server + "/");
        using var http = new HttpClient(env.HttpHandler?.Invoke() ?? new HttpClientHandler(), disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var login = await http.PostAsJsonAsync("api/auth/login", new { userName = user, password }, cancellationToken).ConfigureAwait(false);
            if (!login.IsSuccessStatusCode)
            {
                env.Error.WriteLine($"error: sign-in as {user} failed ({Status(login)}){await ProblemAsync(login, cancellationToken).ConfigureAwait(false)}");
                return CliApp.Failed;
            }

            string? token;
            using (var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)))
            {
                token = body.RootElement.TryGetProperty("accessToken", out var t) ? t.GetString() : null;
            }

            if (string.IsNullOrEmpty(token))
            {
                env.Error.WriteLine($"error: {baseAddress} signed {user} in but returned no accessToken; is it a ContactCenter server?");
                return CliApp.Failed;
            }

            using var session = new ServerSession(http, token);
            return await work(session).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            env.Error.WriteLine($"error: cannot reach {baseAddress}: {e.Message}");
            return CliApp.Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            env.Error.WriteLine($"error: {baseAddress} did not answer within {http.Timeout.TotalSeconds:0} s");
            return CliApp.Failed;
        }
        catch (JsonException e)
        {
            env.Error.WriteLine($"error: {baseAddress} answered with something that is not JSON: {e.Message}");
            return CliApp.Failed;
        }
    }

    /// <summary>Sends a request with the bearer token; <paramref name="body"/>, when given, as JSON.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, object? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, route) { Content = body is null ? null : JsonContent.Create(body) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // The client belongs to RunAsync.
    }

    public static string Status(HttpResponseMessage response) => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    /// <summary>The RFC 7807 body: ": title: detail" and each field error, or the raw text of a non-problem body.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        try
        {
            using var body = JsonDocument.Parse(text);
            var root = body.RootElement;
            var result = new StringBuilder();
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (ReadOnlySpan<string>)["title", "detail"])
                {
                    if (root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
                    {
                        result.Append(": ").Append(p.GetString());
                    }
                }

                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in errors.EnumerateObject())
                    {
                        result.Append("\n  ").Append(field.Name).Append(": ").Append(field.Value.ToString());
                    }
                }
            }

            return result.Length > 0 ? result.ToString() : ": " + text;
        }
        catch (JsonException)
        {
            return ": " + (text.Length > 500 ? text[..500] + "..." : text);
        }
    }
}
