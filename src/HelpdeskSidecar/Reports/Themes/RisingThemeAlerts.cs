using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Dapper;
using HelpdeskSidecar.Storage;

namespace HelpdeskSidecar.Reports.Themes;

/// <summary>The JSON POSTed to <c>Sidecar:Themes:RisingWebhook</c>: which theme, which week, how far above its baseline. No customer text.</summary>
internal sealed record RisingThemeEvent(
    string Event, string Theme, IReadOnlyList<string> Words, string Week, int Count, double Baseline, IReadOnlyList<string> Weeks, IReadOnlyList<int> Weekly);

/// <summary>What one check did: themes posted, and those whose POST failed (to be tried again at the next check).</summary>
internal sealed record RisingThemeCheck(IReadOnlyList<string> Sent, IReadOnlyList<string> Failed, IReadOnlyList<string> AlreadySent);

/// <summary>
/// Posts each rising theme of the current week to the configured webhook once: a row in <c>theme_alerts</c>
/// (theme, week) is claimed first, so two checks or two replicas cannot both send it; a failed POST releases the claim.
/// </summary>
internal sealed partial class RisingThemeAlerts(
    ThemesService themes, Database database, IHttpClientFactory http, TimeProvider time, ILogger<RisingThemeAlerts> logger)
{
    public const string HttpClientName = "themes-webhook";

    public async Task<RisingThemeCheck> CheckAsync(CancellationToken ct)
    {
        var url = themes.Options.RisingWebhook;
        if (string.IsNullOrWhiteSpace(url))
            return new RisingThemeCheck([], [], []);
        var report = await themes.BuildAsync(null, null, ct);
        var week = report.Weeks[^1];
        var (sent, failed, already) = (new List<string>(), new List<string>(), new List<string>());
        foreach (var theme in report.Themes.Where(t => t.Rising))
        {
            if (!await ClaimAsync(theme.Key, week, ct))
            {
                already.Add(theme.Name);
                continue;
            }
            var payload = new RisingThemeEvent("theme.rising", theme.Name, theme.Words, week, theme.Current, theme.Baseline, report.Weeks, theme.Weekly);
            if (await PostAsync(url, payload, ct))
            {
                sent.Add(theme.Name);
                LogSent(logger, week, theme.Current, theme.Baseline);
            }
            else
            {
                await ReleaseAsync(theme.Key, week, ct);
                failed.Add(theme.Name);
            }
        }
        return new RisingThemeCheck(sent, failed, already);
    }

    private async Task<bool> PostAsync(string url, RisingThemeEvent payload, CancellationToken ct)
    {
        try
        {
            using var response = await http.CreateClient(HttpClientName).PostAsJsonAsync(url, payload, RisingThemeJsonContext.Default.RisingThemeEvent, ct);
            if (response.IsSuccessStatusCode)
                return true;
            LogFailed(logger, (int)response.StatusCode);
            return false;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, ex.HttpRequestError.ToString());
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            LogUnreachable(logger, "timeout");
            return false;
        }
    }

    private async Task<bool> ClaimAsync(string theme, string week, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO theme_alerts (theme, period, sent_at) VALUES (@theme, @week, @now) ON CONFLICT (theme, period) DO NOTHING",
            new { theme, week, now = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct));
        return rows == 1;
    }

    private async Task ReleaseAsync(string theme, string week, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM theme_alerts WHERE theme = @theme AND period = @week", new { theme, week }, cancellationToken: ct));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rising theme posted for week {Week}: {Count} messages against a baseline of {Baseline}")]
    private static partial void LogSent(ILogger logger, string week, int count, double baseline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rising-theme webhook answered {Status}; will retry at the next check")]
    private static partial void LogFailed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rising-theme webhook unreachable ({Reason}); will retry at the next check")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}

/// <summary>Looks for rising themes every <see cref="ThemesOptions.CheckEvery"/> while a webhook is configured (the claim in <c>theme_alerts</c> keeps replicas from sending twice).</summary>
internal sealed partial class RisingThemeMonitor(RisingThemeAlerts alerts, ThemesService themes, TimeProvider time, ILogger<RisingThemeMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(themes.Options.RisingWebhook))
            return;
        // The first check after one interval, not at start: a host starting (or restarting) is not news.
        using var timer = new PeriodicTimer(themes.Options.CheckEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await alerts.CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rising-theme check failed; next check at the usual interval")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RisingThemeEvent))]
internal sealed partial class RisingThemeJsonContext : JsonSerializerContext;
