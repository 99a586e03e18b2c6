using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QualityReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quality_reviews",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    agent = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    reviewer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    score = table.Column<int>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    reviewed_at = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "IX_quality_reviews_agent_reviewed_at",
                table: "quality_reviews",
                columns: new[] { "agent", "reviewed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_quality_reviews_instance_id_reviewed_at",
                table: "quality_reviews",
                columns: new[] { "instance_id", "reviewed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quality_reviews");
        }
    }
}
