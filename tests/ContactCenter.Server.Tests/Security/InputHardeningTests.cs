using System.Net;
using System.Net.Http.Json;
using System.Text;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Security;

/// <summary>
/// Input no client should be able to turn into a 500, a misleading answer or a forged log line:
/// dates out of range, empty and malformed bodies, missing media types, blank and control-character
/// fields, invalid UTF-8; and the headers every answer carries.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class InputHardeningTests(ServerFixture server)
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/api/greetings/preview?at=9999-12-31T23:59:59Z", "at")]
    [InlineData("/api/greetings/preview?at=0001-01-01T00:00:00Z", "at")]
    [InlineData("/api/sop-document?asOf=9999-12-31T23:59:59Z", "asOf")]
    [InlineData("/api/sop-document/pdf?asOf=9999-12-31T23:59:59Z", "asOf")]
    [InlineData("/api/instances?from=9999-12-31T23:59:59Z", "from")]
    [InlineData("/api/quality/summary?to=1800-01-01T00:00:00Z", "to")]
    [InlineData("/api/dashboard/heatmap?definitionKey=whatsapp&from=9999-12-31T23:59:59Z", "from")]
    public async Task Get_DateOutOfRange_Is400NamingTheField(string url, string field)
    {
        using var admin = await server.ClientForAsync("admin");

        var problem = await (await admin.GetAsync(url)).ProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("errors").GetProperty(field)[0].GetString().Should().Contain("1900-01-01 to 2199-12-31");
    }

    [Fact]
    public async Task Get_DateInRange_StillAnswers()
    {
        using var admin = await server.ClientForAsync("admin");

        (await admin.GetJsonAsync("/api/greetings/preview?at=2199-12-31T10:00:00Z")).GetProperty("salamPembuka").GetString().Should().NotBeNullOrEmpty();
        (await admin.GetAsync("/api/sop-document?asOf=2030-01-01T00:00:00Z")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WhatIfBatch_DateOutOfRangeInTheBody_Is400NamingTheField()
    {
        using var qc = await server.ClientForAsync("qc.agus");

        var problem = await (await qc.PostAsync("/api/what-if", Json("""{"candidate":{},"startedFrom":"9999-12-31T23:59:59+14:00"}"""))).ProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("errors").TryGetProperty("startedFrom", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"text\": 42}")]
    [InlineData("{\"text\": \"x\", \"extra\": 1}")]
    public async Task Message_EmptyOrWrongBody_Is400WithoutDotNetNames(string body)
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281200008001");

        var response = await sari.PostAsync($"{chat.Url}/messages", Json(body));

        var text = await response.Content.ReadAsStringAsync();
        await response.ProblemAsync(HttpStatusCode.BadRequest);
        text.Should().NotContain("ContactCenter.").And.NotContain("Did you mean").And.NotContain("System.").And.NotContain("+CustomerMessageRequest").And.NotContain(".NET");
    }

    [Theory]
    [InlineData("/api/greetings/preview?at=kemarin", "at", "a date and time")]
    [InlineData("/api/instances?limit=banyak", "limit", "a number")]
    public async Task Get_QueryValueOfTheWrongKind_Is400NamingTheFieldWithoutDotNetNames(string url, string field, string kind)
    {
        using var admin = await server.ClientForAsync("admin");

        var response = await admin.GetAsync(url);

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field)[0].GetString().Should().Contain(kind);
        text.Should().NotContain("DateTimeOffset").And.NotContain("Int32").And.NotContain("Failed to bind");
    }

    [Fact]
    public async Task Message_NullTextOrEmptyMessageId_Is400NamingTheField()
    {
        using var sari = await server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281200008002");

        var noText = await (await sari.PostAsync($"{chat.Url}/messages", Json("""{"text": null, "messageId": "m1"}"""))).ProblemAsync(HttpStatusCode.BadRequest);
        var emptyId = await (await sari.PostAsync($"{chat.Url}/messages", Json("""{"text": "Halo", "messageId": ""}"""))).ProblemAsync(HttpStatusCode.BadRequest);

        noText.GetProperty("errors").TryGetProperty("text", out _).Should().BeTrue();
        emptyId.GetProperty("errors").TryGetProperty("messageId", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("+62812\r\n[12:00:00 INF] forged")]
    [InlineData("+62812\u001b[2J")]
    public async Task Start_BlankOrControlCharacterCustomerRef_Is400(string customerRef)
    {
        using var sari = await server.ClientForAsync("agent.sari");

        var problem = await (await sari.PostAsJsonAsync("/api/instances", new { channel = "whatsapp", customerRef })).ProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("errors").TryGetProperty("customerRef", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("/api/auth/login", "text/plain")]
    [InlineData("/api/auth/login", null)]
    [InlineData("/api/channels/whatsapp/messages", "text/plain")]
    [InlineData("/api/channels/whatsapp/messages", null)]
    public async Task LoginOrWebhook_WithoutJsonContentType_Is415(string url, string? mediaType)
    {
        using var client = server.Anonymous();
        var content = new StringContent("""{"userName":"admin","password":"x"}""", Encoding.UTF8);
        content.Headers.ContentType = mediaType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);

        var response = await client.PostAsync(url, content);

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Draft_InvalidUtf8_Is400LikeTheCli()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var bpmn = File.ReadAllBytes(Path.Combine(ServerFactory.WorkflowsFolder, "still-connected.bpmn"));
        var bad = bpmn.Concat(new byte[] { 0xC3, 0x28 }).ToArray(); // 0xC3 starts a two-byte sequence, '(' cannot continue it
        var content = new ByteArrayContent(bad);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");

        var problem = await (await owner.PostAsync("/api/definitions/validate", content)).ProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("detail").GetString().Should().Contain("not UTF-8");
    }

    [Theory]
    [InlineData("/api/auth/me", null)]
    [InlineData("/api/sop-document", "default-src 'none'")]
    [InlineData("/scalar", "default-src 'self'")]
    [InlineData("/api/instances/00000000-0000-0000-0000-000000000000", null)]
    public async Task Answers_CarryNoSniff_AndHtmlACsp(string url, string? policy)
    {
        using var admin = await server.ClientForAsync("admin");

        var response = await admin.GetAsync(url);

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        if (policy is not null)
        {
            response.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith(policy).And.Contain("frame-ancestors 'none'");
        }
    }

    [Theory]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.NoContent)]
    [InlineData("http://localhost", HttpStatusCode.NoContent)]
    public async Task CookieWrite_FromAForeignOrigin_Is403(string? origin, HttpStatusCode expected)
    {
        using var client = server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName = "qc.agus", password = server.PasswordOf("qc.agus") })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.Forbidden)
        {
            (await client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "the foreign request did not sign the user out");
        }
    }

    [Fact]
    public async Task Login_NameWithLineBreaksAndEscape_IsEscapedInTheLog()
    {
        using var client = server.Anonymous();
        const string forged = "nobody\r\n[12:00:00 INF] ContactCenter.Security: Signed in admin with cookie\u001b[2K";

        (await client.PostAsJsonAsync("/api/auth/login", new { userName = forged, password = "x" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var logged = server.SecurityEvents().Where(e => e.TryGetProperty("UserName", out var u) && u.GetString()!.StartsWith("nobody", StringComparison.Ordinal)).ToList();
        logged.Should().NotBeEmpty();
        logged.Select(e => e.GetProperty("UserName").GetString()).Should().AllSatisfy(name =>
            name.Should().NotContainAny("\r", "\n", "\u001b").And.Contain("\\r\\n").And.Contain("\\u001B"));
    }

    [Fact]
    public async Task Draft_WithThousandsOfProblems_ListsTheFirstHundredAndSaysHowManyMore()
    {
        using var owner = await server.ClientForAsync("owner.gadhong");
        var tasks = string.Concat(Enumerable.Range(0, 1500).Select(i => $"<bpmn:userTask id=\"T{i}\" cc:colour=\"red\" />"));
        var bpmn = File.ReadAllText(Path.Combine(ServerFactory.WorkflowsFolder, "still-connected.bpmn"))
            .Replace("</bpmn:process>", tasks + "</bpmn:process>", StringComparison.Ordinal)
            .Replace("id=\"still-connected\"", "id=\"many-problems\"", StringComparison.Ordinal);
        StringContent Xml() => new(bpmn, Encoding.UTF8, "application/xml");

        var draft = await (await owner.PostAsync("/api/definitions", Xml())).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var verdict = await (await owner.PostAsync("/api/definitions/validate", Xml())).JsonAsync();

        // The parser itself stops listing at 100 and says how many more there are (every caller,
        // the CLI included, gets the short list), so the server's own cap of 200 is a safety net.
        var listed = draft.GetProperty("problems").EnumerateArray().Select(p => p.ToString()).ToList();
        listed.Should().HaveCount(101);
        listed[^1].Should().MatchRegex(@"1[,.]?4\d\d more problem\(s\) from this line on are not listed");
        verdict.GetProperty("problems").GetArrayLength().Should().Be(101);
        verdict.GetProperty("totalProblems").GetInt32().Should().Be(draft.GetProperty("totalProblems").GetInt32());
    }
}
