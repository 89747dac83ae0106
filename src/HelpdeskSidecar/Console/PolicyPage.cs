namespace HelpdeskSidecar.WebConsole;

internal static class PolicyPage
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
