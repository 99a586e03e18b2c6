using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;

namespace ContactCenter.Persistence;

/// <summary>
/// A write's statements sent to PostgreSQL as one <see cref="NpgsqlBatch"/>: one round trip for the
/// savepoint, the instance row, every journal row, timer, outbox row and read-model change, where
/// each used to be an asynchronous round trip of its own (13.8 per command, measured; see
/// docs/performance.md "PostgreSQL round trips per commit").
/// </summary>
/// <remarks>
/// Parameters are sent positionally (<c>$1</c> …, the SQL rewritten once per statement text), so
/// Npgsql neither parses the SQL for named parameters nor rewrites it per execution; statements
/// used again are prepared by Npgsql itself (<c>Max Auto Prepare</c> on the connection string),
/// batch commands included. PostgreSQL runs a batch's statements in order and stops at the first
/// error: nothing after it runs, and the statements that did run have their
/// <see cref="NpgsqlBatchCommand.StatementType"/> set.
/// </remarks>
internal static partial class PostgreSqlBatches
{
    /// <summary>
    /// Runs <paramref name="prefix"/> (parameterless: the savepoint statements), then
    /// <paramref name="statements"/>, in one round trip; the rows each of <paramref name="statements"/> changed.
    /// </summary>
    /// <param name="prefixRan">Set when a statement failed: whether every statement of
    /// <paramref name="prefix"/> ran before it (false when not known: a client-side or connection error).</param>
    /// <remarks>A failure is the provider's own exception, rethrown as it is.</remarks>
    public static async Task<int[]> ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<string> prefix,
        WriteStatements statements,
        Dictionary<string, string> positional,
        StrongBox<bool> prefixRan,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in prefix)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        }

        for (var i = 0; i < statements.Count; i++)
        {
            var (sql, values) = statements[i];
            if (!positional.TryGetValue(sql, out var text))
            {
                text = Positional(sql);
                positional.Add(sql, text);
            }

            var command = new NpgsqlBatchCommand(text);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // PostgresException.BatchCommand comes back null here (Npgsql 10.0.3, extended protocol),
            // so what ran is read from each command's completion: a statement the server completed
            // has its StatementType set (SAVEPOINT and RELEASE: Other), one it skipped stays Unknown.
            var ran = true;
            for (var i = 0; i < prefix.Count; i++)
            {
                ran &= batch.BatchCommands[i].StatementType != StatementType.Unknown;
            }

            prefixRan.Value = ran;
            throw;
        }

        var affected = new int[statements.Count];
        for (var i = 0; i < affected.Length; i++)
        {
            affected[i] = checked((int)batch.BatchCommands[prefix.Count + i].RecordsAffected);
        }

        return affected;
    }

    /// <summary><c>@p0</c>, <c>@p1</c>, … as <c>$1</c>, <c>$2</c>, …</summary>
    private static string Positional(string sql) =>
        NamedParameter().Replace(sql, m => "$" + (int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"@p(\d+)\b")]
    private static partial Regex NamedParameter();
}
