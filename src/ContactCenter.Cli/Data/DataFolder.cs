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

    /// <summary>Opens the folder's database, or prints why not and returns null when the file does not exist.</summary>
    public static DataFolder? Open(string folder, TextWriter error)
    {
        var options = new ContactCenterPersistenceOptions { DataFolder = folder };
        if (!File.Exists(options.DatabasePath))
        {
            error.WriteLine($"error: no database at {options.DatabasePath}; pass --data <folder> with the data folder of a ContactCenter server (it holds contactcenter.db). Nothing was created.");
            return null;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddContactCenterPersistence(options);
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<IDefinitionCheck, FlowContractCheck>();
        services.AddSingleton<InstanceReplayer>();
        return new DataFolder(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), options.DatabasePath);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);

        // Pooled connections keep the file open; a CLI run (or a test deleting its folder) must let go.
        SqliteConnection.ClearAllPools();
    }
}
