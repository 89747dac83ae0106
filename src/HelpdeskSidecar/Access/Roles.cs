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

/// <summary>The authorization policies endpoints ask for; Admin satisfies every one of them.</summary>
internal static class AccessPolicies
{
    /// <summary>Any signed-in role: read suggestions, give feedback, see the console.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Ops leads and managers read tagging rules, policy and knowledge; agents do not.</summary>
    public const string Oversight = "oversight";

    /// <summary>Ops leads: tagging rules, mode, policy, knowledge sync.</summary>
    public const string Operations = "operations";

    /// <summary>Managers: acceptance reports and their CSV.</summary>
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
