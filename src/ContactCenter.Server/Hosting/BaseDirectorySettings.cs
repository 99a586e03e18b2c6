using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ContactCenter.Server.Hosting;

public static class BaseDirectorySettings
{
    /// <summary>
    /// <c>dotnet run --project src/ContactCenter.Server</c> from the repository root makes the
    /// repository root the content root (so <c>./data</c> and <c>./workflows</c> are the repo's),
    /// where there is no <c>appsettings.json</c>: then the one beside the binary is read, as the
    /// first (lowest-priority) source, so the command line and environment still override it.
    /// </summary>
    public static void AddBaseDirectorySettings(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        const string file = "appsettings.json";
        var baseDirectory = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, file)) || !File.Exists(Path.Combine(baseDirectory, file)))
        {
            return;
        }

        var source = new JsonConfigurationSource
        {
            Path = file,
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(baseDirectory),
        };
        builder.Configuration.Sources.Insert(0, source);
    }
}
