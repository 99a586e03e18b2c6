namespace ContactCenter.Persistence;

/// <summary>
/// The statements of one write, gathered first and sent together by
/// <see cref="WriteSession.ExecuteAsync"/>: on PostgreSQL as one <c>NpgsqlBatch</c> (one round trip
/// per write, its savepoint in front, see <see cref="PostgreSqlBatches"/>); on SQLite one prepared
/// statement after the other, as calls on the same thread cost nothing to save.
/// </summary>
/// <remarks>
/// Plain SQL with named parameters <c>@p0</c>, <c>@p1</c>, … (what both engines take). One instance
/// per writer session, reused by each write: the writer is one thread at a time.
/// </remarks>
internal sealed class WriteStatements
{
    private readonly List<(string Sql, object?[] Values)> _statements = new(16);

    public int Count => _statements.Count;

    public (string Sql, object?[] Values) this[int index] => _statements[index];

    /// <summary>Adds <paramref name="sql"/> with <paramref name="values"/> as <c>@p0</c>, <c>@p1</c>, …; its index in what <see cref="WriteSession.ExecuteAsync"/> returns.</summary>
    public int Add(string sql, params object?[] values)
    {
        _statements.Add((sql, values));
        return _statements.Count - 1;
    }

    internal void Clear() => _statements.Clear();
}
