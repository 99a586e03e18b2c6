using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using ContactCenter.Hosting;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// The real server on PostgreSQL (<c>ContactCenter:Database</c>): the runtime's tables, Identity and
/// the data-protection keys in one database of the throwaway PostgreSQL; two servers on that one
/// database are two nodes of a cluster.
/// </summary>
public sealed class PostgreSqlServerTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cc-server-pg-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = "";

    public async Task InitializeAsync() =>
        _connectionString = await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("server");

    public Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task SignIn_StartAConversation_CompleteItsSteps_AStaleCommandIs409_AllOnPostgreSql()
    {
        await using var server = Node("a");
        server.Services.GetRequiredService<DatabaseConnection>().Provider.Should().Be(DatabaseConnection.PostgreSql);

        using var sari = await server.SignedInClientAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+6281111111111");
        var before = await chat.StateAsync();
        await chat.CompleteAsync("Task_SalamPembuka");
        var state = await chat.CustomerSaysAsync("Halo, saya mau tanya cara gadai emas", "pg-1");
        state.GetProperty("timers").GetArrayLength().Should().Be(0, "the reply cancels the silence timer");
        state = await chat.CompleteAsync("Task_Verifikasi");

        var task = Conversation.TaskOf(state, "Task_Identifikasi")!.Value.GetProperty("id").GetInt64();
        var stale = await sari.PostAsJsonAsync($"{chat.Url}/tasks/{task}/complete", new { expectedVersion = before.GetProperty("version").GetInt64() });
        await stale.ProblemAsync(HttpStatusCode.Conflict);

        var journal = await sari.GetJsonAsync($"{chat.Url}/journal");
        journal.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        journal.EnumerateArray().Last().GetProperty("sequence").GetInt64().Should().Be(state.GetProperty("version").GetInt64());
        using var admin = await server.SignedInClientAsync("admin");
        var ready = await admin.GetJsonAsync("/health/ready", HttpStatusCode.OK);
        ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Healthy", "the database check's query runs on PostgreSQL");
        (await Count("SELECT count(*) FROM \"AspNetUsers\"")).Should().BeGreaterThan(0, "Identity is in the same PostgreSQL database");
        (await Count("SELECT count(*) FROM \"DataProtectionKeys\"")).Should().BeGreaterThan(0, "the key that signed the token is in the database");
    }

    [Fact]
    public async Task ATokenAndACookieIssuedByOneNode_AreAcceptedByAnother()
    {
        await using var nodeA = Node("a");
        _ = nodeA.Server; // the first node migrates and creates the demo users
        await using var nodeB = Node("b", demoUsersOf: nodeA);
        _ = nodeB.Server;

        // A bearer token from node A, used on node B.
        var token = await nodeA.BearerTokenAsync("qc.agus");
        using (var onB = nodeB.ClientWithBearer(token))
        {
            (await onB.GetJsonAsync("/api/auth/me")).GetProperty("userName").GetString().Should().Be("qc.agus");
        }

        // A cookie from node B, used on node A.
        using var signIn = nodeB.Anonymous();
        var login = await signIn.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName = "agent.sari", password = nodeA.PasswordOf("agent.sari") });
        login.EnsureSuccessStatusCode();
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(BrowserCookiePrefix, StringComparison.Ordinal));
        using var onA = nodeA.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        var me = await onA.SendAsync(request);
        (await me.JsonAsync()).GetProperty("userName").GetString().Should().Be("agent.sari");

        // And a conversation started through one node is worked through the other.
        using var sariOnA = nodeA.ClientWithBearer(await nodeB.BearerTokenAsync("agent.sari", nodeA.PasswordOf("agent.sari")));
        var chat = await Conversation.StartAsync(sariOnA, "whatsapp", "+6281222222222");
        using var sariOnB = nodeB.ClientWithBearer(await nodeA.BearerTokenAsync("agent.sari"));
        var onNodeB = new Conversation(sariOnB, chat.Id);
        (await onNodeB.CompleteAsync("Task_SalamPembuka")).GetProperty("status").GetString().Should().Be("Running");
    }

    private const string BrowserCookiePrefix = "ContactCenter=";

    private string DatabaseName => new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!;

    private async Task<long> Count(string sql) =>
        long.Parse((await (await ThrowawayPostgres.SharedAsync()).ExecuteAsync(sql, DatabaseName)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A server node with a data folder of its own, on the test's PostgreSQL database; a second node reads the demo passwords of the first.</summary>
    private ServerFactory Node(string name, ServerFactory? demoUsersOf = null)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(folder);
        if (demoUsersOf is not null)
        {
            File.Copy(Path.Combine(demoUsersOf.DataFolder, "demo-users.json"), Path.Combine(folder, "demo-users.json"));
        }

        return new ServerFactory(folder, runScheduler: false)
        {
            Settings = new Dictionary<string, string?>
            {
                ["ContactCenter:Database:Provider"] = "PostgreSql",
                ["ContactCenter:Database:ConnectionString"] = _connectionString,
            },
        };
    }
}
