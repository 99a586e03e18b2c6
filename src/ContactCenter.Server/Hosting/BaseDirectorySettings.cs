using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ContactCenter.Server.Hosting;

public static class BaseDirectorySettings
{
    /// <summary>
    /// <c>dotnet run --project src/ContactCenter.Server</c> from the repository root makes the
    /// repository root the content root (so <c>./data</c> and <c>./workflows</c> are the repo's),
    /// where there is no <c>appsettings.json</c>: then the one beside the binary is read, with its
    /// environment's (<c>appsettings.Development.json</c>: the demo), as the first
    /// (lowest-priority) sources, so the command line and environment still override them.
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

        string[] files = [file, $"appsettings.{builder.Environment.EnvironmentName}.json"];
        for (var i = 0; i < files.Length; i++)
        {
            builder.Configuration.Sources.Insert(i, new JsonConfigurationSource
            {
                Path = files[i],
                Optional = true,
                ReloadOnChange = false,
                FileProvider = new PhysicalFileProvider(baseDirectory),
            });
        }
    }
}
