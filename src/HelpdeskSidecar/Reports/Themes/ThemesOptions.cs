namespace HelpdeskSidecar.Reports.Themes;

/// <summary><c>Sidecar:Themes</c>: how customer messages are grouped into themes and when a theme counts as rising.</summary>
internal sealed class ThemesOptions
{
    public const string Section = "Sidecar:Themes";

    /// <summary><c>minilm</c> (default), <c>arctic-xs</c> or <c>hashed</c> (no model; fast, weaker: for tests).</summary>
    public string Encoder { get; set; } = ThemeGrouper.DefaultEncoder;

    /// <summary>Average cosine distance at which themes stay apart; tuned on a banking77 slice (docs/benchmarks.md).</summary>
    public double DistanceThreshold { get; set; } = ThemeClusteringSettings.Default.DistanceThreshold;

    public int Seed { get; set; } = ThemeClusteringSettings.Default.Seed;

    /// <summary>Groups smaller than this are not themes: they are counted together as "other".</summary>
    public int MinThemeSize { get; set; } = 2;

    /// <summary>The report's window when no start is given: this many ISO weeks, the current one included.</summary>
    public int Weeks { get; set; } = 8;

    /// <summary>The weeks before the current one whose mean volume is a theme's baseline.</summary>
    public int BaselineWeeks { get; set; } = 4;

    /// <summary>Rising: this week's volume is at least this many times the baseline (a baseline under 1 counts as 1) …</summary>
    public double RisingFactor { get; set; } = 2.0;

    /// <summary>… and at least this many messages.</summary>
    public int RisingMinCount { get; set; } = 5;

    public int Examples { get; set; } = 3;

    /// <summary>Where rising themes are POSTed as JSON, once per theme and week; unset: no webhook (the console still flags them).</summary>
    public string? RisingWebhook { get; set; }

    /// <summary>How often the host looks for rising themes when a webhook is set.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);

    public ThemeClusteringSettings Clustering => ThemeClusteringSettings.Default with { DistanceThreshold = DistanceThreshold, Seed = Seed };
}
