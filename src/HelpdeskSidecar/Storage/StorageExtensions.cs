namespace HelpdeskSidecar.Storage;

internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SqliteDatabase>();
        return builder;
    }
}
