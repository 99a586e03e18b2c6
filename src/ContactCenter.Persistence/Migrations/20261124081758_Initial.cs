using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations
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
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    bpmn = table.Column<string>(type: "TEXT", nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    document_code = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    revision = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    effective_from = table.Column<long>(type: "INTEGER", nullable: true),
                    maker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    checker = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    approver = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    change_note = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    checked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    approved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    published_at = table.Column<long>(type: "INTEGER", nullable: true),
                    retired_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_definition_versions", x => new { x.key, x.version });
                });

            migrationBuilder.CreateTable(
                name: "instances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    definition_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    definition_version = table.Column<int>(type: "INTEGER", nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    customer_ref = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    agent = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    snapshot = table.Column<string>(type: "TEXT", nullable: false),
                    pinned_versions = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    parent_instance_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    delivered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "journal_events",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    json = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "pending_timers",
                columns: table => new
                {
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    timer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    element_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "IX_pending_timers_due_at",
                table: "pending_timers",
                column: "due_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "definition_versions");

            migrationBuilder.DropTable(
                name: "journal_events");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "pending_timers");

            migrationBuilder.DropTable(
                name: "instances");
        }
    }
}
