using ContactCenter.Runtime.Retention;
using FluentAssertions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>The retention policy is read from ContactCenter:Retention; without it, everything is kept.</summary>
public sealed class RetentionSettingsTests
{
    [Fact]
    public async Task Retention_FromSettings_AndKeepEverythingByDefault()
    {
        var folder = Directory.CreateTempSubdirectory("cc-retention-").FullName;
        try
        {
            await using (var plain = new ServerFactory(Path.Combine(folder, "a")))
            {
                plain.Services.GetRequiredService<RetentionPolicy>().Options.KeepDays.Should().BeNull("the default keeps every history");
            }

            await using var configured = new ServerFactory(Path.Combine(folder, "b")).WithWebHostBuilder(b => b
                .UseSetting("ContactCenter:Retention:KeepDays", "400")
                .UseSetting("ContactCenter:Retention:Mode", "Purge"));
            var options = configured.Services.GetRequiredService<RetentionPolicy>().Options;
            options.KeepDays.Should().Be(400);
            options.Mode.Should().Be(RetentionMode.Purge);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Retention_ArchiveWithoutFolder_RefusesToStartInAnyEnvironment()
    {
        // Before, the policy threw at its first run, inside the retention loop, an hour into production.
        var folder = Directory.CreateTempSubdirectory("cc-retention-").FullName;
        try
        {
            using var factory = new ServerFactory(Path.Combine(folder, "data"), runScheduler: false)
            {
                Settings = new Dictionary<string, string?> { ["ContactCenter:Retention:KeepDays"] = "400" },
            };
            var start = () => factory.Server;
            start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
                .Which.Failures.Should().ContainSingle().Which.Should().StartWith("ContactCenter:Retention:Mode is Archive but ContactCenter:Retention:ArchiveFolder is not set");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
