using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Nova.Services.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageUsageEstimated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "UsageEstimated",
                table: "ChatMessages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UsageEstimated",
                table: "ChatMessages");
        }
    }
}
