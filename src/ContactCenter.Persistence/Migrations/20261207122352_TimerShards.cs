using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TimerShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_pending_timers_due_at",
                table: "pending_timers");

            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "pending_timers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "shard",
                table: "pending_timers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_pending_timers_shard_due_at",
                table: "pending_timers",
                columns: new[] { "shard", "due_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_pending_timers_shard_due_at",
                table: "pending_timers");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "pending_timers");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "pending_timers");

            migrationBuilder.CreateIndex(
                name: "IX_pending_timers_due_at",
                table: "pending_timers",
                column: "due_at");
        }
    }
}
