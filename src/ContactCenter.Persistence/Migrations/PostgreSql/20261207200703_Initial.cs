using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ContactCenter.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "definition_versions",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    bpmn = table.Column<string>(type: "text", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    document_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    revision = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    effective_from = table.Column<long>(type: "bigint", nullable: true),
                    maker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    checker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    approver = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    change_note = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    submitted_at = table.Column<long>(type: "bigint", nullable: true),
                    checked_at = table.Column<long>(type: "bigint", nullable: true),
                    approved_at = table.Column<long>(type: "bigint", nullable: true),
                    published_at = table.Column<long>(type: "bigint", nullable: true),
                    retired_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_definition_versions", x => new { x.key, x.version });
                });

            migrationBuilder.CreateTable(
                name: "instances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    definition_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    definition_version = table.Column<int>(type: "integer", nullable: false),
                    channel = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    customer_ref = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    agent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    snapshot = table.Column<string>(type: "text", nullable: false),
                    pinned_versions = table.Column<string>(type: "text", nullable: false),
                    started_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    ended_at = table.Column<long>(type: "bigint", nullable: true),
                    parent_instance_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    audience = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    acknowledged_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    acknowledged_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<long>(type: "bigint", nullable: false),
                    delivered_at = table.Column<long>(type: "bigint", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    dead_lettered_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "read_model_counters",
                columns: table => new
                {
                    counter = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    dimension = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    bucket = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_read_model_counters", x => new { x.counter, x.bucket, x.dimension });
                });

            migrationBuilder.CreateTable(
                name: "read_model_rows",
                columns: table => new
                {
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    instance_version = table.Column<long>(type: "bigint", nullable: false),
                    queue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    partition = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    priority = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    has_deadline = table.Column<bool>(type: "boolean", nullable: false),
                    deadline_at = table.Column<long>(type: "bigint", nullable: false),
                    warning_at = table.Column<long>(type: "bigint", nullable: false),
                    enqueued_at = table.Column<long>(type: "bigint", nullable: false),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_read_model_rows", x => new { x.model, x.instance_id });
                });

            migrationBuilder.CreateTable(
                name: "store_settings",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_store_settings", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "journal_events",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_journal_events", x => new { x.instance_id, x.sequence });
                    table.ForeignKey(
                        name: "FK_journal_events_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "journal_segments",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    first_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    events = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_journal_segments", x => x.instance_id);
                    table.ForeignKey(
                        name: "FK_journal_segments_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pending_timers",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    timer_id = table.Column<long>(type: "bigint", nullable: false),
                    element_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    due_at = table.Column<long>(type: "bigint", nullable: false),
                    shard = table.Column<int>(type: "integer", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_timers", x => new { x.instance_id, x.timer_id });
                    table.ForeignKey(
                        name: "FK_pending_timers_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quality_reviews",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reviewer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    score = table.Column<int>(type: "integer", nullable: false),
                    note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    reviewed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quality_reviews", x => x.id);
                    table.CheckConstraint("ck_quality_reviews_score", "score BETWEEN 0 AND 100");
                    table.ForeignKey(
                        name: "FK_quality_reviews_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_definition_versions_status",
                table: "definition_versions",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_instances_agent",
                table: "instances",
                column: "agent");

            migrationBuilder.CreateIndex(
                name: "IX_instances_channel",
                table: "instances",
                column: "channel");

            migrationBuilder.CreateIndex(
                name: "IX_instances_customer_ref_channel",
                table: "instances",
                columns: new[] { "customer_ref", "channel" });

            migrationBuilder.CreateIndex(
                name: "IX_instances_definition_key_definition_version",
                table: "instances",
                columns: new[] { "definition_key", "definition_version" });

            migrationBuilder.CreateIndex(
                name: "IX_instances_parent_instance_id",
                table: "instances",
                column: "parent_instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_instances_started_at",
                table: "instances",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "IX_instances_status",
                table: "instances",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_acknowledged_at_created_at",
                table: "notifications",
                columns: new[] { "acknowledged_at", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_instance_id",
                table: "notifications",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_delivered_at_next_attempt_at",
                table: "outbox",
                columns: new[] { "delivered_at", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_id",
                table: "outbox",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_idempotency_key",
                table: "outbox",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_instance_id",
                table: "outbox",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_pending_timers_shard_due_at",
                table: "pending_timers",
                columns: new[] { "shard", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_quality_reviews_agent_reviewed_at",
                table: "quality_reviews",
                columns: new[] { "agent", "reviewed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_quality_reviews_instance_id_reviewed_at",
                table: "quality_reviews",
                columns: new[] { "instance_id", "reviewed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_instance_id",
                table: "read_model_rows",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_model_queue_deadline_at_enqueued_at",
                table: "read_model_rows",
                columns: new[] { "model", "queue", "deadline_at", "enqueued_at" });

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_model_queue_partition_deadline_at_enqueued_~",
                table: "read_model_rows",
                columns: new[] { "model", "queue", "partition", "deadline_at", "enqueued_at" });

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_model_queue_warning_at",
                table: "read_model_rows",
                columns: new[] { "model", "queue", "warning_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "definition_versions");

            migrationBuilder.DropTable(
                name: "journal_events");

            migrationBuilder.DropTable(
                name: "journal_segments");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "pending_timers");

            migrationBuilder.DropTable(
                name: "quality_reviews");

            migrationBuilder.DropTable(
                name: "read_model_counters");

            migrationBuilder.DropTable(
                name: "read_model_rows");

            migrationBuilder.DropTable(
                name: "store_settings");

            migrationBuilder.DropTable(
                name: "instances");
        }
    }
}
