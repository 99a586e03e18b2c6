using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// Creates Quartz's tables in the cluster's PostgreSQL database when they are missing, at start and
/// before the clustered scheduler starts. The script is the one the Quartz package carries for its
/// own <c>CreateIfMissing</c> provisioning (every statement guarded, nothing dropped); it is run
/// here instead, in one transaction under an advisory lock, because three nodes starting together
/// would otherwise race on <c>CREATE TABLE IF NOT EXISTS</c>, which is not safe between sessions.
/// </summary>
public sealed class QuartzPostgresSchema(string connectionString, ILogger<QuartzPostgresSchema> logger) : IHostedService
{
    /// <summary>The table prefix of the clustered scheduler.</summary>
    public const string TablePrefix = "qrtz_";

    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    private const long SchemaLock = 0x4343_5153_4348; // "CCQSCH"

    public Task StartAsync(CancellationToken cancellationToken) => EnsureAsync(connectionString, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates what is missing of Quartz's tables; a no-op when they are all there.</summary>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
        {
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var statement in Statements())
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The script's statements with the prefix filled in ('{0}' qualified, '{1}' bare: the same here).</summary>
    internal static IEnumerable<string> Statements()
    {
        using var stream = typeof(IJob).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The Quartz package no longer carries {Resource}; create Quartz's PostgreSQL tables by hand (database/tables/tables_postgres.sql of Quartz.NET) or adapt {nameof(QuartzPostgresSchema)}");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split("\n--;;", StringSplitOptions.TrimEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }

    internal ILogger Logger => logger;
}
