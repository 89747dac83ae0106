namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// The "saved" line a console page shows after a post/redirect/get. The redirect carries a fixed code
/// (<c>?saved=token-created</c>), never text: a link with <c>?saved=Your account is locked, call …</c> shows nothing, so
/// a page of ours cannot be made to say what someone else wrote. Details come from what the page shows itself.
/// </summary>
internal static class StatusMessages
{
    public const string UserAdded = "user-added";
    public const string UserReset = "user-reset";
    public const string UserRemoved = "user-removed";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string ModeSaved = "mode-saved";
    public const string ModeUnchanged = "mode-unchanged";
    public const string PolicySaved = "policy-saved";
    public const string RuleSaved = "rule-saved";
    public const string RuleUnchanged = "rule-unchanged";
    public const string VerdictSaved = "verdict-saved";

    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        [UserAdded] = "User added.",
        [UserReset] = "User's password and role saved.",
        [UserRemoved] = "User removed; their sessions have ended.",
        [UserDisabled] = "User disabled; their sessions have ended.",
        [UserEnabled] = "User enabled.",
        [TokenCreated] = "Token created.",
        [TokenRevoked] = "Token revoked.",
        [ModeSaved] = "Saved: the mode override is in force (see the table and the audit below).",
        [ModeUnchanged] = "Nothing to save: the mode was already set that way.",
        [PolicySaved] = "Saved: the policy file is in force.",
        [RuleSaved] = "Saved: the rule is in force (see the table and the audit below).",
        [RuleUnchanged] = "Nothing to save: the rule was already set that way.",
        [VerdictSaved] = "Thanks — your verdict is recorded. It counts in the acceptance report.",
    };

    /// <summary>The redirect after a successful post: <paramref name="path"/> with the code as <c>saved</c>.</summary>
    public static IResult Redirect(string path, string code) =>
        TypedResults.Redirect($"{path}?saved={(Texts.ContainsKey(code) ? code : throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown status code."))}");

    /// <summary>The fixed text for a known code among <paramref name="allowed"/>; null for anything else.</summary>
    public static string? TextOf(string? code, params string[] allowed) =>
        code is not null && allowed.Contains(code, StringComparer.Ordinal) ? Texts[code] : null;

    /// <summary>The status line for a known code, or nothing.</summary>
    public static Html Line(string? code, params string[] allowed) =>
        TextOf(code, allowed) is { } text ? Html.Of($"""<p class="message" id="saved-message" role="status">{text}</p>""") : Html.Empty;
}
