using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>The server reads its settings files once: no watcher on the content root, where the data folder usually is.</summary>
public sealed class SettingsFilesTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public void Settings_files_are_not_watched_for_changes()
    {
        var configuration = (IConfigurationRoot)_server.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<JsonConfigurationProvider>().Select(p => p.Source).ToList();

        files.Should().Contain(s => s.Path == "appsettings.json");
        files.Should().OnlyContain(s => !s.ReloadOnChange, "a watcher of the content root wakes on every write of the database and the logs under it");
    }
}
