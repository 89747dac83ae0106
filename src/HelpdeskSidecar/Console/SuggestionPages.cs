namespace HelpdeskSidecar.WebConsole;

internal static class SuggestionPages
{
    public static void Map(RouteGroupBuilder console)
    {
    }
}
