namespace HelpdeskSidecar.Access;

/// <summary>Who may do what: agents give feedback, ops leads run tagging/mode/policy, managers read reports, admins do everything.</summary>
internal enum Role
{
    Agent,
    OpsLead,
    Manager,
    Admin,
}

internal static class Roles
{
    public static readonly string[] Names = Enum.GetNames<Role>();

    /// <summary>Exact names only (<c>Agent|OpsLead|Manager|Admin</c>), case-insensitive.</summary>
    public static bool TryParse(string? text, out Role role)
    {
        role = default;
        return text is not null && Names.Contains(text, StringComparer.OrdinalIgnoreCase) && Enum.TryParse(text, ignoreCase: true, out role);
    }
}

/// <summary>
/// The one role matrix: which role may do what, for the console pages (and each section of a page) and the <c>/api</c>
/// endpoints alike. Endpoints ask for these policies (<c>RequireAuthorization</c>), console pages show a section only when
/// the signed-in role holds the policy its API needs (<c>Can</c>), so nothing a role is refused on <c>/api</c> is shown to it
/// on a page. README "Sign-in, roles and the console" has the same table.
/// <code>
/// policy      Agent OpsLead Manager Admin  console                                    /api
/// SignedIn      x     x       x      x     suggestions, the overview's mode           /api/suggestions (+ feedback)
/// Oversight           x       x      x     tagging (rules, precision, audit), policy, /api/tagging, /api/policy, /api/settings,
///                                          knowledge sources, Jobs (read)             /api/reports/tags
/// Operations          x              x     changes on those pages, "sync now", Jobs   PUT tagging, policy, modes
/// Reports                     x      x     overview figures, reports, knowledge gaps  /api/reports/{acceptance,gaps,usage,overview}
/// Admin                              x     users and tokens                           (CLI)
/// (Themes: Oversight; managers see every theme, ops leads only the rising ones without customer text: /api/reports/themes)
/// </code>
/// Tag precision sits with Oversight: ops leads decide auto-tagging by it (it holds counts per tag, no customer text,
/// no agent's figures). Gaps carry customers' (redacted) questions, and acceptance is per agent: reports, for managers.
/// </summary>
internal static class AccessPolicies
{
    /// <summary>Any signed-in role: read suggestions and their traces, give feedback, see the console.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Ops leads and managers read tagging rules and their precision, policy, modes and knowledge; agents do not.</summary>
    public const string Oversight = "oversight";

    /// <summary>Ops leads: change tagging rules, mode, policy; knowledge sync.</summary>
    public const string Operations = "operations";

    /// <summary>Managers: acceptance, gaps, usage and cost, the overview's figures, and their CSV.</summary>
    public const string Reports = "reports";

    /// <summary>Admins: users and tokens.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyDictionary<string, Role[]> RolesFor = new Dictionary<string, Role[]>
    {
        [SignedIn] = [Role.Agent, Role.OpsLead, Role.Manager, Role.Admin],
        [Oversight] = [Role.OpsLead, Role.Manager, Role.Admin],
        [Operations] = [Role.OpsLead, Role.Admin],
        [Reports] = [Role.Manager, Role.Admin],
        [Admin] = [Role.Admin],
    };

    public static bool Allows(string policy, Role role) => RolesFor[policy].Contains(role);
}
