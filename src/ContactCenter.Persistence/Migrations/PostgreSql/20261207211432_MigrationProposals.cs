using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MigrationProposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "migration_proposals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    definition_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    from_version = table.Column<int>(type: "integer", nullable: false),
                    to_version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    mapping = table.Column<string>(type: "text", nullable: false),
                    instance_ids = table.Column<string>(type: "text", nullable: false),
                    proposed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    proposed_at = table.Column<long>(type: "bigint", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    dry_run = table.Column<string>(type: "text", nullable: true),
                    dry_run_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    dry_run_at = table.Column<long>(type: "bigint", nullable: true),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<long>(type: "bigint", nullable: true),
                    applied_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    applied_at = table.Column<long>(type: "bigint", nullable: true),
                    result = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_migration_proposals", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_migration_proposals_definition_key_proposed_at",
                table: "migration_proposals",
                columns: new[] { "definition_key", "proposed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "migration_proposals");
        }
    }
}
