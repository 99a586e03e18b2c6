using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace ContactCenter.Server.Tests;

/// <summary>Small helpers over the JSON API.</summary>
public static class Api
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, "the body was {0}", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(url)).JsonAsync(expected);

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PostAsJsonAsync(url, body)).JsonAsync(expected);

    /// <summary>Reads a problem-details answer and checks its status and media type.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, "the body was {0}", text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)expected);
        return problem;
    }
}

/// <summary>A conversation driven over HTTP the way an agent's console would: by task element id, with the version it saw.</summary>
public sealed class Conversation(HttpClient agent, Guid id)
{
    public Guid Id { get; } = id;

    public string Url => $"/api/instances/{Id}";

    public static async Task<Conversation> StartAsync(HttpClient agent, string channel, string customerRef = "+6281234567890")
    {
        var started = await agent.PostJsonAsync("/api/instances", new { channel, customerRef }, HttpStatusCode.Created);
        return new Conversation(agent, started.GetProperty("id").GetGuid());
    }

    public Task<JsonElement> StateAsync() => agent.GetJsonAsync(Url);

    public static JsonElement? TaskOf(JsonElement state, string elementId) =>
        state.GetProperty("tasks").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(t => t!.Value.GetProperty("elementId").GetString() == elementId);

    /// <summary>What a test documents when it gives the documentation step no data of its own: an ordinary, on-topic contact.</summary>
    public static readonly object Documented = new { kategoriKontak = "Produk", produk = "Tabungan Emas", ringkasan = "Nasabah menanyakan cara top up; dijelaskan", oot = "Tidak" };

    /// <summary>Completes the open task of <paramref name="elementId"/>; the documentation step without data gets <see cref="Documented"/>.</summary>
    public async Task<JsonElement> CompleteAsync(string elementId, string? outcome = null, object? data = null)
    {
        var state = await StateAsync();
        var task = TaskOf(state, elementId);
        task.Should().NotBeNull("task {0} should be open; open are {1}", elementId, state.GetProperty("tasks").ToString());
        if (data is null && task!.Value.GetProperty("purposes").EnumerateArray().Any(p => p.GetString() == "documentation"))
        {
            data = Documented;
        }

        return await agent.PostJsonAsync(
            $"{Url}/tasks/{task!.Value.GetProperty("id").GetInt64()}/complete",
            new { outcome, data, expectedVersion = state.GetProperty("version").GetInt64() });
    }

    /// <summary>The agent asks "masih terhubung?": completes the open question, found by its declared role (cc:purpose), never by id.</summary>
    public async Task<JsonElement> AskStillConnectedAsync()
    {
        var state = await StateAsync();
        var task = state.GetProperty("tasks").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(t =>
            t!.Value.TryGetProperty("purposes", out var purposes) && purposes.ValueKind == JsonValueKind.Array && purposes.EnumerateArray().Any(p => p.GetString()!.StartsWith("still-connected-prompt", StringComparison.Ordinal)));
        task.Should().NotBeNull("a \"masih terhubung?\" question should be open; open are {0}", state.GetProperty("tasks").ToString());
        return await agent.PostJsonAsync(
            $"{Url}/tasks/{task!.Value.GetProperty("id").GetInt64()}/complete",
            new { outcome = (string?)null, data = (object?)null, expectedVersion = state.GetProperty("version").GetInt64() });
    }

    public Task<JsonElement> CustomerSaysAsync(string text, string messageId) =>
        agent.PostJsonAsync($"{Url}/messages", new { text, messageId });

    /// <summary>
    /// Plays a scripted sample's steps (samples/conversations): the customer's messages and the
    /// agent's completions, each task found by <paramref name="elementId"/> of the step's id.
    /// </summary>
    public async Task PlayAsync(JsonElement steps, string sample, Func<string, string>? elementId = null)
    {
        var n = 0;
        foreach (var step in steps.EnumerateArray())
        {
            n++;
            if (step.TryGetProperty("customer", out var text))
            {
                await CustomerSaysAsync(text.GetString()!, $"{sample}-{n}");
            }
            else
            {
                var outcome = step.TryGetProperty("outcome", out var o) ? o.GetString() : null;
                object? data = step.TryGetProperty("data", out var d) ? d : null;
                var id = step.GetProperty("complete").GetString()!;
                await CompleteAsync(elementId is null ? id : elementId(id), outcome, data);
            }
        }
    }
}
