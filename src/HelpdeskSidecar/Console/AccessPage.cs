using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/access</c> (admins): users and API tokens. Adds, resets, disables, enables or removes a user, creates a token (its secret is shown
/// once, on the page the POST redirects to, never in a URL: see <see cref="NewTokenNotice"/>), revokes a token. The same stores as <c>users add</c> and <c>tokens …</c>.
/// </summary>
internal static class AccessPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/access", (HttpContext http, UserStore users, TokenStore tokens, NewTokenNotice notice, string? saved, CancellationToken ct) =>
                ShowAsync(http, users, tokens, saved, notice.Take(http), ct))
            .RequireAuthorization(AccessPolicies.Admin);
        console.MapPost("/access/users", AddUserAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
        console.MapPost("/access/users/{action}", ChangeUserAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
        console.MapPost("/access/tokens", CreateTokenAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
        console.MapPost("/access/tokens/{id:long}/revoke", RevokeAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, UserStore users, TokenStore tokens, string? saved, string? newSecret, CancellationToken ct)
    {
        var userList = await users.ListAsync(ct);
        var tokenList = await tokens.ListAsync(ct);
        var body = Html.Of($"""
            {StatusMessages.Line(saved, StatusMessages.UserAdded, StatusMessages.UserReset, StatusMessages.UserRemoved, StatusMessages.UserDisabled,
                StatusMessages.UserEnabled, StatusMessages.TokenCreated, StatusMessages.TokenRevoked)}
            {Html.When(newSecret is not null, Html.Of($"""<div class="message" id="new-token-message" role="status">The new token, shown only now: <code id="new-token-secret">{newSecret}</code></div>"""))}
            <section class="panel" aria-labelledby="users-heading">
            <h2 id="users-heading">Users</h2>
            <table id="users-table"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col" class="hide-narrow">Created (UTC)</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
            <tbody>{Html.Join(userList.Select((u, i) => (u, i)), x => UserRow(http, x.u, x.i))}</tbody></table>
            <form method="post" action="/console/access/users" class="inline" id="new-user">{ConsoleLayout.AntiforgeryField(http)}
              <label for="user-name">Name <input id="user-name" name="name" required maxlength="64" autocomplete="off"></label>
              <label for="user-role">Role {RoleSelect("user-role")}</label>
              <label for="user-password">Password <input id="user-password" name="password" type="password" required minlength="{PasswordHasher.MinimumLength}" autocomplete="new-password"></label>
              <button id="user-save" type="submit">Add or reset user</button>
            </form>
            </section>
            <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">API tokens</h2>
            <table id="tokens-table"><thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col" class="hide-narrow">Created (UTC)</th><th scope="col">State</th></tr></thead>
            <tbody>{Html.Join(tokenList, t => Html.Of($"""
                <tr id="token-{t.Id}"><td>{t.Id}</td><td>{t.Name}</td><td>{t.Role.ToString()}</td><td class="hide-narrow">{t.CreatedAt:yyyy-MM-dd HH:mm}</td>
                <td>{(t.RevokedAt is { } r ? Html.Of($"revoked {r:yyyy-MM-dd HH:mm}") : Html.Of($"""<form method="post" action="/console/access/tokens/{t.Id}/revoke" id="revoke-{t.Id}">{ConsoleLayout.AntiforgeryField(http)}<button type="submit" class="secondary" aria-label="Revoke token {t.Name}">Revoke</button></form>"""))}</td></tr>
                """))}</tbody></table>
            <form method="post" action="/console/access/tokens" class="inline" id="new-token">{ConsoleLayout.AntiforgeryField(http)}
              <label for="token-name">Name <input id="token-name" name="name" maxlength="64" autocomplete="off"></label>
              <label for="token-role">Role {RoleSelect("token-role")}</label>
              <button id="token-create" type="submit">Create token</button>
            </form>
            </section>
            """);
        return ConsoleLayout.Page(http, "Users and tokens", "access", body);
    }

    /// <summary>A user's row with Disable/Enable and Remove; not for the signed-in admin's own row (no locking yourself out).</summary>
    private static Html UserRow(HttpContext http, ConsoleUser u, int index)
    {
        var self = UserNames.Key(u.Name) == UserNames.Key(http.User.ActorName());
        var toggle = u.Disabled ? "enable" : "disable";
        var actions = self ? Html.Of($"""<span class="muted">you</span>""") : Html.Of($"""
            <form method="post" action="/console/access/users/{toggle}" class="row-action" id="{toggle}-user-{index}">{ConsoleLayout.AntiforgeryField(http)}<input type="hidden" name="name" value="{u.Name}"><button type="submit" class="secondary" aria-label="{(u.Disabled ? "Enable" : "Disable")} user {u.Name}">{(u.Disabled ? "Enable" : "Disable")}</button></form>
            <form method="post" action="/console/access/users/remove" class="row-action" id="remove-user-{index}">{ConsoleLayout.AntiforgeryField(http)}<input type="hidden" name="name" value="{u.Name}"><button type="submit" class="secondary" aria-label="Remove user {u.Name}">Remove</button></form>
            """);
        return Html.Of($"""
            <tr data-user="{u.Name}"><td>{u.Name}</td><td>{u.Role.ToString()}</td><td class="hide-narrow">{u.CreatedAt:yyyy-MM-dd HH:mm}</td>
            <td class="user-state">{(u.DisabledAt is { } d ? Html.Of($"""<span class="badge bad">disabled</span> <span class="hide-narrow">{d:yyyy-MM-dd HH:mm}</span>""") : Html.Of($"""<span class="badge ok">active</span>"""))}</td>
            <td>{actions}</td></tr>
            """);
    }

    private static async Task<IResult> ChangeUserAsync(HttpContext http, UserStore users, string action, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["name"].ToString();
        if (action is not ("disable" or "enable" or "remove"))
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not found", $"There is no user action '{action}'.");
        if (UserNames.Key(name) == UserNames.Key(http.User.ActorName()))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not changed", "You cannot disable or remove yourself; another admin (or the CLI) can.");
        var done = action == "remove"
            ? await users.RemoveAsync(name, ct)
            : await users.SetDisabledAsync(name, action == "disable", ct) is not null;
        if (!done)
            return ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "User not changed", $"There is no user '{name}'.");
        return StatusMessages.Redirect("/console/access", action switch
        {
            "remove" => StatusMessages.UserRemoved,
            "disable" => StatusMessages.UserDisabled,
            _ => StatusMessages.UserEnabled,
        });
    }

    private static Html RoleSelect(string id) =>
        Html.Of($"""<select id="{id}" name="role">{Html.Join(Roles.Names, r => Html.Of($"""<option value="{r}">{r}</option>"""))}</select>""");

    private static async Task<IResult> AddUserAsync(HttpContext http, UserStore users, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        if (UserNames.Parse(name) is not { } userName)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", $"The name must be {UserNames.Rule}.");
        name = userName;
        if (!Roles.TryParse(form["role"], out var role))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", $"The role must be one of {string.Join(", ", Roles.Names)}.");
        if (PasswordHasher.Check(password) is { } problem)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", $"Not saved: {problem}.");
        var created = await users.UpsertAsync(name, role, password, ct);
        return StatusMessages.Redirect("/console/access", created ? StatusMessages.UserAdded : StatusMessages.UserReset);
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, TokenStore tokens, NewTokenNotice notice, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["name"].ToString().Trim();
        if (name.Length > 0 && UserNames.Parse(name) is null)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Token not created", $"The name must be {UserNames.Rule}.");
        name = UserNames.Normalize(name);
        if (!Roles.TryParse(form["role"], out var role))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Token not created", $"The role must be one of {string.Join(", ", Roles.Names)}.");
        var (token, secret) = await tokens.CreateAsync(role, name.Length == 0 ? null : name, ct);
        // Post/redirect/get: a reload of the page that shows the secret neither creates another token nor shows it again.
        notice.Put(http, secret);
        return StatusMessages.Redirect("/console/access", StatusMessages.TokenCreated);
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, TokenStore tokens, long id, CancellationToken ct) =>
        await tokens.RevokeAsync(id, ct)
            ? StatusMessages.Redirect("/console/access", StatusMessages.TokenRevoked)
            : ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not revoked", $"There is no active token {id}.");
}
