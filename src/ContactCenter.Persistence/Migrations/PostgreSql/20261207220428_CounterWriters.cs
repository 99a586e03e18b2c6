using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CounterWriters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_read_model_counters",
                table: "read_model_counters");

            migrationBuilder.AddColumn<string>(
                name: "writer",
                table: "read_model_counters",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_read_model_counters",
                table: "read_model_counters",
                columns: new[] { "counter", "bucket", "dimension", "writer" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_read_model_counters",
                table: "read_model_counters");

            migrationBuilder.DropColumn(
                name: "writer",
                table: "read_model_counters");

            migrationBuilder.AddPrimaryKey(
                name: "PK_read_model_counters",
                table: "read_model_counters",
                columns: new[] { "counter", "bucket", "dimension" });
        }
    }
}
