using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TimerTraceParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "pending_timers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "pending_timers");
        }
    }
}
