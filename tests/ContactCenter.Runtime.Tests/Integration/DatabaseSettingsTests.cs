using ContactCenter.Hosting;
using ContactCenter.Persistence;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary><c>ContactCenter:Database</c> refused at start with a message naming the key, before anything touches a database.</summary>
public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData(DatabaseProvider.PostgreSql, null, "ContactCenter:Database:ConnectionString must be set when ContactCenter:Database:Provider is PostgreSql")]
    [InlineData(DatabaseProvider.PostgreSql, "Hots=db;Databse=cc", "ContactCenter:Database:ConnectionString is not a PostgreSQL connection string")]
    [InlineData(DatabaseProvider.Sqlite, "Host=db;Database=cc", "ContactCenter:Database:ConnectionString is set, but ContactCenter:Database:Provider is Sqlite")]
    [InlineData((DatabaseProvider)7, null, "ContactCenter:Database:Provider must be Sqlite or PostgreSql")]
    public async Task Start_WithADatabaseSettingThatCannotWork_IsRefusedNamingTheKey(DatabaseProvider provider, string? connectionString, string message)
    {
        var folder = Directory.CreateTempSubdirectory("cc-dbsettings-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddContactCenter(o =>
            {
                o.DataFolder = Path.Combine(folder, "data");
                o.WorkflowsFolder = Path.Combine(folder, "workflows");
                o.RunScheduler = false;
                o.Database = new DatabaseOptions { Provider = provider, ConnectionString = connectionString };
            });
            using var host = builder.Build();

            var start = () => host.StartAsync();

            (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
            File.Exists(Path.Combine(folder, "data", "contactcenter.db")).Should().BeFalse("nothing was migrated");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
