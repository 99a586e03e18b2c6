using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContactCenter.Persistence;

/// <summary>For <c>dotnet ef migrations add</c> only: the tool builds the model from it, it opens no database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ContactCenterDbContext>
{
    public ContactCenterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ContactCenterDbContext>();
        ContactCenterDatabase.ConfigureSqlite(builder, new ContactCenterPersistenceOptions());
        return new ContactCenterDbContext(builder.Options);
    }
}
