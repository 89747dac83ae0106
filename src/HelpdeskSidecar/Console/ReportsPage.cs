namespace HelpdeskSidecar.WebConsole;

internal static class ReportsPage
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
