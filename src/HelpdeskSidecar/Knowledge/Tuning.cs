namespace HelpdeskSidecar.Knowledge;

// TEMPORARY (tuning only; removed before commit).
internal static class Tuning
{
    public static int Get(string name, int value) => int.TryParse(Environment.GetEnvironmentVariable("HS_" + name), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : value;

    public static double Get(string name, double value) => double.TryParse(Environment.GetEnvironmentVariable("HS_" + name), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : value;
}
