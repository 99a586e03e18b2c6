using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Tests.Http;

/// <summary>
/// Simulated customers and agents running chat conversations against a <see cref="ServerProcess"/>
/// through the public API, as the README's curl session does, but with the customer's side on the
/// signed webhook: the customer's first message starts the conversation, the team leader's
/// console sees it arrive (one GET, which also names the agent it was routed to), the agent
/// completes each open task (sending the version seen), and whenever no task is open the flow
/// waits for the customer, who answers at once. A quiet customer never answers the greeting: the
/// conversation is left to the one-minute "masih terhubung?" ladder and the agent moves on.
/// </summary>
/// <remarks>
/// Every answered command is written to the <see cref="AckLedger"/> (message ids the webhook
/// accepted, work items completed, the version each answer reported), which the crash runs check
/// after a restart. The driver is bound to one server process (its port); the ledger outlives it.
/// </remarks>
internal sealed class ConversationLoad : IDisposable
{
    /// <summary>What an agent enters at a step that asks for fields (the documentation step's category, product, summary and OOT); null for one that asks none.</summary>
    private static Dictionary<string, string>? FieldsOf(JsonElement task)
    {
        var fields = task.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
        return fields.Count == 0 ? null : fields.ToDictionary(f => f, f => f switch
        {
            "kategoriKontak" => "Produk",
            "oot" => "Tidak",
            _ => "Tabungan Emas",
        });
    }

    private static readonly string[] CustomerLines = ["Halo, saya mau tanya cara gadai emas", "Tidak, sudah cukup. Terima kasih"];
    private static readonly string[] Channels = ["whatsapp", "live-chat"];
    private static long _runCounter;

    private readonly ServerProcess _server;
    private readonly HttpClient _webhook;
    private readonly HttpClient _leader;
    private readonly Dictionary<string, HttpClient> _agents;
    private readonly string _runTag;
    private long _conversations;

    private ConversationLoad(ServerProcess server, HttpClient webhook, HttpClient leader, Dictionary<string, HttpClient> agents, AckLedger ledger, LoadStats stats)
    {
        _server = server;
        _webhook = webhook;
        _leader = leader;
        _agents = agents;
        Ledger = ledger;
        Stats = stats;
        // Message ids and customer refs unique across runs and restarts on one data folder.
        _runTag = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 1000:D3}{Interlocked.Increment(ref _runCounter) % 100:D2}{DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond % 10_000:D4}");
    }

    /// <summary>One conversation in this many goes quiet after the greeting; 0 means none. Default is 10.</summary>
    public int QuietEvery { get; set; } = 10;

    public AckLedger Ledger { get; }

    public LoadStats Stats { get; }

    /// <summary>Signs in the team leader and the routed agents (demo users) on <paramref name="server"/>.</summary>
    public static async Task<ConversationLoad> CreateAsync(ServerProcess server, AckLedger ledger, LoadStats stats, CancellationToken cancellationToken = default)
    {
        var leader = await server.ClientForAsync("leader.rina", cancellationToken).ConfigureAwait(false);
        var agents = new Dictionary<string, HttpClient>(StringComparer.Ordinal)
        {
            ["agent.sari"] = await server.ClientForAsync("agent.sari", cancellationToken).ConfigureAwait(false),
            ["agent.budi"] = await server.ClientForAsync("agent.budi", cancellationToken).ConfigureAwait(false),
        };
        return new ConversationLoad(server, server.NewClient(), leader, agents, ledger, stats);
    }

    /// <summary>
    /// Runs <paramref name="concurrency"/> conversation loops until <paramref name="stop"/> is
    /// cancelled; each loop finishes the conversation it is in (unless the server is gone).
    /// </summary>
    public Task RunAsync(int concurrency, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await RunConversationAsync().ConfigureAwait(false) == ConversationEnd.ServerGone)
                {
                    return;
                }
            }
        }, CancellationToken.None)));

    /// <summary>
    /// Starts <paramref name="count"/> conversations whose customers go quiet after the greeting,
    /// <paramref name="concurrency"/> at a time: each ends waiting on its silence timer.
    /// </summary>
    public async Task StartQuietAsync(int count, int concurrency)
    {
        var left = count;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                if (await RunConversationAsync(forceQuiet: true).ConfigureAwait(false) == ConversationEnd.ServerGone)
                {
                    return;
                }
            }
        }))).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _webhook.Dispose();
        _leader.Dispose();
        foreach (var agent in _agents.Values)
        {
            agent.Dispose();
        }
    }

    private async Task<ConversationEnd> RunConversationAsync(bool forceQuiet = false)
    {
        var n = Interlocked.Increment(ref _conversations);
        var channel = Channels[n % Channels.Length];
        var quiet = forceQuiet || (QuietEvery > 0 && n % QuietEvery == 0);
        var customer = string.Create(CultureInfo.InvariantCulture, $"+62{_runTag}{n:D7}");
        Guid? instanceId = null;
        try
        {
            var said = 0;
            var accepted = await PostMessageAsync(channel, customer, n, said, "Halo").ConfigureAwait(false);
            if (accepted is null)
            {
                return Stats.Ended(ConversationEnd.Failed);
            }

            instanceId = accepted.Value;
            var state = await SendAsync(_leader, HttpMethod.Get, $"/api/instances/{instanceId}", null, "get").ConfigureAwait(false);
            if (state is null)
            {
                return Stats.Ended(ConversationEnd.Failed);
            }

            var agentName = state.RootElement.GetProperty("agent").GetString();
            if (agentName is null || !_agents.TryGetValue(agentName, out var agent))
            {
                Stats.Error($"unrouted ({agentName ?? "no agent"})");
                return Stats.Ended(ConversationEnd.Failed);
            }

            for (var step = 0; step < 40; step++)
            {
                using var current = state;
                var root = current.RootElement;
                if (root.GetProperty("status").GetString() != "Running")
                {
                    return Stats.Ended(root.GetProperty("status").GetString() == "Completed" ? ConversationEnd.Completed : ConversationEnd.Failed);
                }

                if (root.GetProperty("tasks").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } task)
                {
                    var taskId = task.GetProperty("id").GetInt64();
                    var outcomes = task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()!).ToList();
                    var outcome = outcomes.Count == 0 ? null : outcomes.Contains("Tidak") ? "Tidak" : outcomes[0];
                    var data = FieldsOf(task);
                    state = await SendAsync(agent, HttpMethod.Post, $"/api/instances/{instanceId}/tasks/{taskId}/complete", new { outcome, data, expectedVersion = root.GetProperty("version").GetInt64() }, "complete").ConfigureAwait(false);
                    if (state is null)
                    {
                        return Stats.Ended(ConversationEnd.Failed);
                    }

                    Ledger.Completed(instanceId.Value, taskId, state.RootElement.GetProperty("version").GetInt64());
                    if (quiet && task.GetProperty("elementId").GetString() == "Task_SalamPembuka")
                    {
                        state.Dispose();
                        Ledger.WentQuiet(instanceId.Value);
                        return Stats.Ended(ConversationEnd.Quiet);
                    }
                }
                else
                {
                    said++;
                    if (await PostMessageAsync(channel, customer, n, said, CustomerLines[Math.Min(said - 1, CustomerLines.Length - 1)]).ConfigureAwait(false) is null)
                    {
                        return Stats.Ended(ConversationEnd.Failed);
                    }

                    state = await SendAsync(agent, HttpMethod.Get, $"/api/instances/{instanceId}", null, "get").ConfigureAwait(false);
                    if (state is null)
                    {
                        return Stats.Ended(ConversationEnd.Failed);
                    }
                }
            }

            Stats.Error("script: no end after 40 steps");
            return Stats.Ended(ConversationEnd.Failed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // The server is gone (killed) or the connection broke: the conversation is interrupted.
            Stats.Error("no answer (" + e.GetType().Name + ")");
            if (instanceId is { } id)
            {
                Ledger.Interrupted(id);
            }


            // A killed process may not be reaped yet when its sockets already fail.
            return Stats.Ended(_server.Process.WaitForExit(TimeSpan.FromSeconds(2)) ? ConversationEnd.ServerGone : ConversationEnd.Failed);
        }
    }

    /// <summary>A customer's message through the signed webhook; the instance id it went to, or null when refused.</summary>
    private async Task<Guid?> PostMessageAsync(string channel, string customer, long conversation, int index, string text)
    {
        var messageId = string.Create(CultureInfo.InvariantCulture, $"m{_runTag}-{conversation}-{index}");
        var body = JsonSerializer.SerializeToUtf8Bytes(new { messageId, customerRef = customer, text });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-CC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-CC-Signature", Sign(_server.Options.WebhookSecret, timestamp, body));
        using var answer = await TimedAsync(_webhook, request, "webhook").ConfigureAwait(false);
        if (answer is null)
        {
            return null;
        }

        var instanceId = answer.RootElement.GetProperty("instanceId").GetGuid();
        Ledger.MessageAccepted(instanceId, messageId);
        return instanceId;
    }

    private async Task<JsonDocument?> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string kind)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await TimedAsync(client, request, kind).ConfigureAwait(false);
    }

    /// <summary>Sends, records the latency under <paramref name="kind"/>, and parses a 2xx answer (null otherwise, counted by status).</summary>
    private async Task<JsonDocument?> TimedAsync(HttpClient client, HttpRequestMessage request, string kind)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Stats.Request(kind, Stopwatch.GetElapsedTime(started));
        if (!response.IsSuccessStatusCode)
        {
            Stats.Error(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + kind + (response.StatusCode == HttpStatusCode.Conflict ? " (stale version)" : ""));
            return null;
        }

        return JsonDocument.Parse(text);
    }

    internal static string Sign(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. prefix, .. body]));
    }
}

/// <summary>How a simulated conversation ended for the client.</summary>
internal enum ConversationEnd
{
    /// <summary>Worked to its close (status Completed).</summary>
    Completed,

    /// <summary>Greeted, then the customer went quiet: left waiting on its silence timer.</summary>
    Quiet,

    /// <summary>An error answer or an unexpected state; counted under its status.</summary>
    Failed,

    /// <summary>The server process is gone (killed); the loop stops.</summary>
    ServerGone,
}

/// <summary>Requests, latencies, errors and conversation ends of a load run, thread-safe.</summary>
internal sealed class LoadStats
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly int[] _ends = new int[4];

    public int Count(ConversationEnd end) => Volatile.Read(ref _ends[(int)end]);

    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>Latencies in milliseconds by request kind (webhook, get, complete), unsorted.</summary>
    public IReadOnlyDictionary<string, double[]> LatenciesByKind() => _latencies.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    public double[] AllLatencies() => [.. _latencies.Values.SelectMany(v => v)];

    public void Request(string kind, TimeSpan elapsed) => _latencies.GetOrAdd(kind, _ => []).Add(elapsed.TotalMilliseconds);

    public void Error(string what) => _errors.AddOrUpdate(what, 1, (_, n) => n + 1);

    public ConversationEnd Ended(ConversationEnd end)
    {
        Interlocked.Increment(ref _ends[(int)end]);
        return end;
    }

    /// <summary>The value at <paramref name="share"/> (0..1) of a sorted array; nearest rank.</summary>
    public static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];
}
