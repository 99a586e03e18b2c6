using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Persistence;

/// <summary>Registers the EF Core stores.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options, an <see cref="IDbContextFactory{TContext}"/> on the database the
    /// options name (the SQLite file, or PostgreSQL), <see cref="ContactCenterDatabase"/> (call its <see cref="ContactCenterDatabase.MigrateAsync"/>
    /// at start-up) and the three stores, all singletons.
    /// </summary>
    public static IServiceCollection AddContactCenterPersistence(this IServiceCollection services, ContactCenterPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        // Pooled: a command opens two short-lived contexts, and building one from scratch costs more than the SQL it runs.
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            // PostgreSQL's context type carries PostgreSQL's migrations; the stores see the base type.
            services.AddPooledDbContextFactory<PostgreSqlContactCenterDbContext>(builder => ContactCenterDatabase.ConfigurePostgreSql(builder, options));
            services.AddSingleton<IDbContextFactory<ContactCenterDbContext>>(sp => new PostgreSqlContexts(sp.GetRequiredService<IDbContextFactory<PostgreSqlContactCenterDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<ContactCenterDbContext>(builder => ContactCenterDatabase.ConfigureSqlite(builder, options));
        }

        services.AddSingleton<ContactCenterDatabase>();
        services.AddSingleton<IDefinitionStore, EfDefinitionStore>();
        // One store behind its ports (write path, queries, retention, timers, read models): they share its write queue.
        services.AddSingleton<EfInstanceStore>();
        services.AddSingleton<IInstanceStore>(sp => sp.GetRequiredService<EfInstanceStore>());
        services.AddSingleton<IInstanceQueries>(sp => sp.GetRequiredService<EfInstanceStore>());
        services.AddSingleton<IRetentionStore>(sp => sp.GetRequiredService<EfInstanceStore>());
        services.AddSingleton<ITimerStore>(sp => sp.GetRequiredService<EfInstanceStore>());
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<EfInstanceStore>());
        services.AddSingleton<IOutboxStore, EfOutboxStore>();
        return services;
    }

    /// <inheritdoc cref="AddContactCenterPersistence(IServiceCollection, ContactCenterPersistenceOptions)"/>
    public static IServiceCollection AddContactCenterPersistence(this IServiceCollection services, Action<ContactCenterPersistenceOptions>? configure = null)
    {
        var options = new ContactCenterPersistenceOptions();
        configure?.Invoke(options);
        return services.AddContactCenterPersistence(options);
    }
}
