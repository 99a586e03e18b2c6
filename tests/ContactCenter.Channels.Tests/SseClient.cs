using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace ContactCenter.Channels.Tests;

/// <summary>One parsed server-sent event; comments have <see cref="Event"/> <c>:</c> and the comment as data text.</summary>
internal sealed record SseMessage(long? Id, string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public Guid? InstanceId => Event != ":" && Json.TryGetProperty("instanceId", out var id) ? id.GetGuid() : null;
}

/// <summary>A real SSE reader over HTTP: connects as a test user and parses the stream line by line.</summary>
internal sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly Task _pump;

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Everything read so far, in order.</summary>
    public List<SseMessage> Seen { get; } = [];

    public static async Task<SseClient> ConnectAsync(HttpClient http, string user, string roles, long? lastEventId = null, string? unit = null)
    {
        using var request = ChannelsHost.As(HttpMethod.Get, "/api/live", user, roles);
        if (unit is not null)
        {
            request.Headers.Add("X-Test-Unit", unit);
        }

        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseClient(response);
    }

    /// <summary>Reads until a message matches, or throws after <paramref name="timeout"/>.</summary>
    public async Task<SseMessage> WaitForAsync(Func<SseMessage, bool> match, TimeSpan? timeout = null)
    {
        foreach (var seen in Seen)
        {
            if (match(seen))
            {
                return seen;
            }
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cancel.Token);
                Seen.Add(message);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching event; seen: {string.Join(", ", Seen.Select(s => s.Event))}");
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            long? id = null;
            string? name = null;
            string? data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        await _messages.Writer.WriteAsync(new SseMessage(id, name ?? "message", data));
                    }

                    id = null;
                    name = null;
                    data = null;
                }
                else if (line.StartsWith(':'))
                {
                    await _messages.Writer.WriteAsync(new SseMessage(null, ":", line[1..].Trim()));
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = data is null ? line[6..] : data + "\n" + line[6..];
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The test ended the stream.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _pump;
        _stop.Dispose();
    }
}
