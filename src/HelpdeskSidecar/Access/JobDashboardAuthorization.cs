using Hangfire.Dashboard;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Who may open the Hangfire dashboard (<c>/hangfire</c>): a console session of an ops lead, a manager or an admin
/// (<see cref="AccessPolicies.Oversight"/>). The endpoint itself asks for a signed-in caller, so an anonymous browser is
/// sent to the console sign-in before this runs; here an agent, or a script with an API token (whatever its role),
/// gets 403. Managers read; ops leads and admins may also retry and delete jobs (<see cref="IsReadOnly"/>).
/// </summary>
internal sealed class JobDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        var allowed = user.Identity is { IsAuthenticated: true, AuthenticationType: AccessExtensions.CookieScheme }
            && user.RoleOf() is { } role && AccessPolicies.Allows(AccessPolicies.Oversight, role);
        return Task.FromResult(allowed);
    }

    /// <summary>Retry, delete and trigger buttons are for <see cref="AccessPolicies.Operations"/>; Hangfire refuses those commands to the rest.</summary>
    public static bool IsReadOnly(DashboardContext context) =>
        context.GetHttpContext().User.RoleOf() is not { } role || !AccessPolicies.Allows(AccessPolicies.Operations, role);
}
