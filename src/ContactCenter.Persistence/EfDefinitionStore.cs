using ContactCenter.Runtime.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence;

/// <summary>The definition catalogue in the <c>definition_versions</c> table.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived context, or a kept-open read connection of its own (<see cref="ReadSessions"/>).</remarks>
public sealed class EfDefinitionStore(IDbContextFactory<ContactCenterDbContext> contexts) : IDefinitionStore, IAsyncDisposable
{
    private readonly ReadSessions _reads = new(contexts);

    public ValueTask DisposeAsync() => _reads.DisposeAsync();

    /// <summary>Versions of one key, or of every key when <paramref name="key"/> is null, by key then version.</summary>
    public async Task<IReadOnlyList<DefinitionVersionRecord>> ListAsync(string? key, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var query = context.DefinitionVersions.AsNoTracking();
            if (key is not null)
            {
                query = query.Where(r => r.Key == key);
            }

            var rows = await query.OrderBy(r => r.Key).ThenBy(r => r.Version).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ConvertAll(r => r.ToRecord());
        }
    }

    public async Task<DefinitionVersionRecord?> GetAsync(string key, int version, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var row = await context.DefinitionVersions.AsNoTracking()
                .SingleOrDefaultAsync(r => r.Key == key && r.Version == version, cancellationToken).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public Task<int?> GetVersionInEffectAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        // Asked at every start: one statement prepared once on a kept-open connection, not an EF Core query.
        _reads.RunAsync(
            async (session, ct) =>
            {
                var command = session.Command(SelectVersionInEffect, 3);
                command.Parameters[0].Value = key;
                command.Parameters[1].Value = nameof(VersionStatus.Published);
                command.Parameters[2].Value = at.UtcTicks;
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } version and not DBNull
                    ? Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture)
                    : (int?)null;
            },
            cancellationToken);

    private const string SelectVersionInEffect = """
        SELECT version FROM definition_versions
        WHERE "key" = @p0 AND status = @p1 AND effective_from <= @p2
        ORDER BY effective_from DESC, version DESC LIMIT 1
        """;

    /// <exception cref="InvalidOperationException">
    /// The version is not the next for its key (the highest stored plus one, or 1 for a new key),
    /// including when another add of the same number won a race.
    /// </exception>
    public async Task AddAsync(DefinitionVersionRecord record, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var highest = await HighestVersionAsync(context, record.Key, cancellationToken).ConfigureAwait(false);
            if (record.Version != highest + 1)
            {
                throw NotNext(record, highest);
            }

            context.DefinitionVersions.Add(record.ToRow());
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException ex)
            {
                // A racing add took the number between the check and the insert: the key said no.
                var now = await HighestVersionAsync(context, record.Key, cancellationToken).ConfigureAwait(false);
                if (now >= record.Version)
                {
                    throw new InvalidOperationException(NotNext(record, now).Message, ex);
                }

                throw;
            }
        }
    }

    /// <summary>Replaces the row (every field but key and version) while its stored status is still <paramref name="expectedStatus"/>.</summary>
    /// <returns>False when the row is missing or its status has moved on.</returns>
    public async Task<bool> UpdateAsync(DefinitionVersionRecord record, VersionStatus expectedStatus, CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var entry = context.DefinitionVersions.Attach(record.ToRow());
            entry.State = EntityState.Modified;
            // Status is the concurrency token: the UPDATE carries WHERE status = expected.
            entry.Property(r => r.Status).OriginalValue = expectedStatus.ToString();
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateConcurrencyException)
            {
                return false;
            }
        }
    }

    private static async Task<int> HighestVersionAsync(ContactCenterDbContext context, string key, CancellationToken cancellationToken) =>
        await context.DefinitionVersions.Where(r => r.Key == key).MaxAsync(r => (int?)r.Version, cancellationToken).ConfigureAwait(false) ?? 0;

    private static InvalidOperationException NotNext(DefinitionVersionRecord record, int highest) =>
        new($"Definition '{record.Key}' version {record.Version} cannot be added: the next version is {highest + 1}.");
}
