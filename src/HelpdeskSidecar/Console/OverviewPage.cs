namespace HelpdeskSidecar.WebConsole;

internal static class OverviewPage
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
