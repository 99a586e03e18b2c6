using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

/// <summary>
/// The throwaway PostgreSQL the PostgreSQL suites stand on: if it cannot start here, those suites
/// would fail with a less clear message, so it is checked on its own.
/// </summary>
public sealed class ThrowawayPostgresTests
{
    [Fact]
    public async Task Each_created_database_is_its_own_and_empty()
    {
        var server = await ThrowawayPostgres.SharedAsync();
        var first = await server.CreateDatabaseAsync("fixture");
        var second = await server.CreateDatabaseAsync("fixture");

        var firstName = DatabaseOf(first);
        var secondName = DatabaseOf(second);
        firstName.Should().NotBe(secondName);
        await server.ExecuteAsync("CREATE TABLE marker (id int); INSERT INTO marker VALUES (7)", firstName);

        (await server.ExecuteAsync("SELECT id FROM marker", firstName)).Trim().Should().Be("7");
        (await server.ExecuteAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'", secondName))
            .Trim().Should().Be("0");
        (await server.ExecuteAsync("SHOW listen_addresses")).Trim().Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task A_server_of_its_own_stops_and_leaves_nothing_behind_when_disposed()
    {
        var server = await ThrowawayPostgres.StartAsync();
        var folder = Path.GetDirectoryName(server.DataDirectory)!;
        (await server.ExecuteAsync("SELECT 1")).Trim().Should().Be("1");

        await server.DisposeAsync();

        Directory.Exists(folder).Should().BeFalse();
        var afterStop = () => server.ExecuteAsync("SELECT 1");
        await afterStop.Should().ThrowAsync<InvalidOperationException>();
    }

    private static string DatabaseOf(string connectionString) =>
        connectionString.Split(';').Single(part => part.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
}
