namespace HelpdeskSidecar.WebConsole;

internal static class KnowledgePage
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
