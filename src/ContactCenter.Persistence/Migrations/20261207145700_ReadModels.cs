using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "read_model_counters",
                columns: table => new
                {
                    counter = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    dimension = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    bucket = table.Column<long>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_read_model_counters", x => new { x.counter, x.bucket, x.dimension });
                });

            migrationBuilder.CreateTable(
                name: "read_model_rows",
                columns: table => new
                {
                    model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_version = table.Column<long>(type: "INTEGER", nullable: false),
                    queue = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    partition = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    priority = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    has_deadline = table.Column<bool>(type: "INTEGER", nullable: false),
                    deadline_at = table.Column<long>(type: "INTEGER", nullable: false),
                    warning_at = table.Column<long>(type: "INTEGER", nullable: false),
                    enqueued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    summary = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_read_model_rows", x => new { x.model, x.instance_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_instance_id",
                table: "read_model_rows",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_model_queue_deadline_at_enqueued_at",
                table: "read_model_rows",
                columns: new[] { "model", "queue", "deadline_at", "enqueued_at" });

            migrationBuilder.CreateIndex(
                name: "IX_read_model_rows_model_queue_partition_deadline_at_enqueued_at",
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
                name: "read_model_counters");

            migrationBuilder.DropTable(
                name: "read_model_rows");
        }
    }
}
