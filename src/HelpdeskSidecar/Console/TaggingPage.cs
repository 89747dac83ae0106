namespace HelpdeskSidecar.WebConsole;

internal static class TaggingPage
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
