using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Persistence;

/// <summary>
/// What the store's plain SQL and its error handling need to know about the engine under it: the
/// one seam between SQLite and PostgreSQL outside EF Core's providers and the two migration sets.
/// Everything else (the statements, the write queue, the read sessions) is written once.
/// </summary>
internal abstract class DatabaseDialect
{
    public static readonly DatabaseDialect Sqlite = new SqliteDialect();

    public static readonly DatabaseDialect PostgreSql = new PostgreSqlDialect();

    public static DatabaseDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.PostgreSql => PostgreSql,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a database provider"),
    };

    /// <summary>The dialect of the provider <paramref name="context"/> was built with.</summary>
    public static DatabaseDialect Of(Microsoft.EntityFrameworkCore.DbContext context) =>
        Microsoft.EntityFrameworkCore.NpgsqlDatabaseFacadeExtensions.IsNpgsql(context.Database) ? PostgreSql : Sqlite;

    /// <summary>OpenTelemetry's <c>db.system.name</c> of the engine.</summary>
    public abstract string SystemName { get; }

    /// <summary>
    /// Whether a statement is prepared explicitly when its command is made (SQLite: compiled once,
    /// reused). Npgsql wants parameter types before it prepares, and prepares a statement used
    /// again by itself (<c>Max Auto Prepare</c>, set on the connection string).
    /// </summary>
    public abstract bool PrepareOnCreate { get; }

    /// <summary>
    /// Whether a write's statements go to the server as one batch (<see cref="WriteSession.ExecuteAsync"/>):
    /// on PostgreSQL each statement is a network round trip, and a commit had 13.8 of them; SQLite's
    /// statements are calls on the writer's thread, which a batch would not save.
    /// </summary>
    public abstract bool BatchesStatements { get; }

    /// <summary>
    /// Whether the outbox claim moves the rows it takes (a lease other dispatchers respect). On
    /// PostgreSQL several nodes dispatch; a SQLite file has one node, whose one dispatcher a claim
    /// would not protect from anything, and after a crash it would only delay the messages the dead
    /// process had taken until their lease ran out.
    /// </summary>
    public abstract bool LeasesOutboxClaims { get; }

    /// <summary>
    /// The writer's own part of every counter (<c>read_model_counters.writer</c>): counters are
    /// summed on read, so each process adds to rows of its own and two nodes' commits never wait on
    /// each other's lock of one hot counter row (the cluster's measured bottleneck, decision 0007).
    /// Empty on SQLite (one writer); on PostgreSQL a tag per process, new at each start: the rows an
    /// earlier process wrote stay and still count.
    /// </summary>
    public abstract string CounterWriter { get; }

    /// <summary>A Guid as the EF Core model stores it (a parameter's value).</summary>
    public abstract object Id(Guid id);

    /// <summary>A Guid column read back.</summary>
    public abstract Guid ReadId(DbDataReader reader, int ordinal);

    /// <summary>A unique or primary-key constraint refused the row.</summary>
    public abstract bool IsUniqueViolation(Exception error);

    /// <summary>
    /// The statement lost to another transaction on the same rows (a deadlock, a serialization
    /// failure, a lock it could not get): another command acted at the same time.
    /// </summary>
    public abstract bool IsLockConflict(Exception error);

    private sealed class SqliteDialect : DatabaseDialect
    {
        /// <summary>Extended result codes SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.</summary>
        private const int PrimaryKeyViolation = 1555;
        private const int UniqueViolation = 2067;

        /// <summary>SQLITE_BUSY: the busy timeout ran out while another connection wrote.</summary>
        private const int Busy = 5;

        public override string SystemName => "sqlite";

        public override bool PrepareOnCreate => true;

        public override bool BatchesStatements => false;

        public override bool LeasesOutboxClaims => false;

        public override string CounterWriter => "";

        /// <summary>EF Core's SQLite form of a Guid: upper-case text.</summary>
        public override object Id(Guid id) => id.ToString().ToUpperInvariant();

        public override Guid ReadId(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

        public override bool IsUniqueViolation(Exception error) =>
            Find<SqliteException>(error) is { SqliteExtendedErrorCode: PrimaryKeyViolation or UniqueViolation };

        public override bool IsLockConflict(Exception error) => Find<SqliteException>(error) is { SqliteErrorCode: Busy };
    }

    private sealed class PostgreSqlDialect : DatabaseDialect
    {
        public override string SystemName => "postgresql";

        public override bool PrepareOnCreate => false;

        public override bool BatchesStatements => true;

        public override bool LeasesOutboxClaims => true;

        public override string CounterWriter { get; } = Guid.NewGuid().ToString("N")[..12];

        public override object Id(Guid id) => id;

        public override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

        public override bool IsUniqueViolation(Exception error) =>
            Find<PostgresException>(error) is { SqlState: PostgresErrorCodes.UniqueViolation };

        public override bool IsLockConflict(Exception error) =>
            Find<PostgresException>(error) is
            {
                SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable,
            };
    }

    /// <summary>The provider's exception, whether thrown as it is or wrapped by EF Core.</summary>
    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }

        return null;
    }
}
