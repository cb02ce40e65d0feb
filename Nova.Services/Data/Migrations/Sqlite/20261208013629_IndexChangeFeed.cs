using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Services.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IndexChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RagIndexChanges",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TransactionId = table.Column<long>(type: "INTEGER", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RagIndexChanges", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RagIndexChanges_CreatedAt",
                table: "RagIndexChanges",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RagIndexChanges_TransactionId",
                table: "RagIndexChanges",
                column: "TransactionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RagIndexChanges");
        }
    }
}
