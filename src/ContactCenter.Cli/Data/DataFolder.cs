using Microsoft.EntityFrameworkCore;
using ContactCenter.Modules.Calendar;
using ContactCenter.Persistence;
using ContactCenter.Modules.Flows;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Cli.Data;

/// <summary>
/// A ContactCenter data folder opened for reading histories: the EF Core stores on its
/// <c>contactcenter.db</c>, the definition catalogue and the replayer. Nothing else of the
/// server is started (no Quartz, no hosted services, no migrations, no workflow import).
/// </summary>
/// <remarks>
/// The database must already exist: SQLite would otherwise create an empty file on first use,
/// and a mistyped <c>--data</c> would leave a stray database behind and report "no instances".
/// A node of a cluster on PostgreSQL is read the way the node itself finds it: with
/// <c>ContactCenter__Database__Provider=PostgreSql</c> and <c>ContactCenter__Database__ConnectionString</c>
/// in the environment, the commands read that database (and <c>--data</c> is not used).
/// </remarks>
internal sealed class DataFolder : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private DataFolder(ServiceProvider services, string databasePath)
    {
        _services = services;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    public IInstanceStore Instances => _services.GetRequiredService<IInstanceStore>();

    public IInstanceQueries Queries => _services.GetRequiredService<IInstanceQueries>();

    public InstanceReplayer Replayer => _services.GetRequiredService<InstanceReplayer>();

    public IReadModelStore ReadModels => _services.GetRequiredService<IReadModelStore>();

    public DefinitionCatalog Catalog => _services.GetRequiredService<DefinitionCatalog>();

    public ContactCenterDatabase Database => _services.GetRequiredService<ContactCenterDatabase>();

    /// <summary>The holiday years administrators maintain (the server reads them over the bundled files).</summary>
    public IHolidayYearStore HolidayYears => new EfHolidayYearStore(_services.GetRequiredService<IDbContextFactory<ContactCenterDbContext>>());

    /// <summary>The environment variables that point the commands at a PostgreSQL database, as they point a server node.</summary>
    public const string ProviderVariable = "ContactCenter__Database__Provider";

    /// <inheritdoc cref="ProviderVariable"/>
    public const string ConnectionStringVariable = "ContactCenter__Database__ConnectionString";

    /// <summary>Opens the folder's database (or the environment's PostgreSQL one), or prints why not and returns null when it does not exist.</summary>
    public static DataFolder? Open(string folder, TextWriter error, Func<string, string?>? getVariable = null)
    {
        var options = new ContactCenterPersistenceOptions { DataFolder = folder };
        var provider = getVariable?.Invoke(ProviderVariable);
        if (string.Equals(provider, nameof(DatabaseProvider.PostgreSql), StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = getVariable!(ConnectionStringVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                error.WriteLine($"error: {ProviderVariable} is PostgreSql but {ConnectionStringVariable} is not set");
                return null;
            }

            options.Provider = DatabaseProvider.PostgreSql;
            options.ConnectionString = connectionString;
            return Build(options, "PostgreSQL " + new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString);
        }

        if (!File.Exists(options.DatabasePath))
        {
            error.WriteLine($"error: no database at {options.DatabasePath}; pass --data <folder> with the data folder of a ContactCenter server (it holds contactcenter.db). Nothing was created.");
            return null;
        }

        return Build(options, options.DatabasePath);
    }

    private static DataFolder Build(ContactCenterPersistenceOptions options, string databasePath)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddContactCenterPersistence(options);
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<IDefinitionCheck, FlowContractCheck>();
        services.AddSingleton<InstanceReplayer>();
        return new DataFolder(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), databasePath);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);

        // Pooled connections keep the file open; a CLI run (or a test deleting its folder) must let go.
        SqliteConnection.ClearAllPools();
    }
}
