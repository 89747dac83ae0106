using System.Globalization;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/access</c> (admins): users and API tokens. Adds or resets a user, creates a token (its secret is shown
/// once, on the page the POST redirects to, never in a URL: see <see cref="NewTokenNotice"/>), revokes a token. The same stores as <c>users add</c> and <c>tokens …</c>.
/// </summary>
internal static partial class AccessPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/access", (HttpContext http, UserStore users, TokenStore tokens, NewTokenNotice notice, string? saved, CancellationToken ct) =>
                ShowAsync(http, users, tokens, saved, notice.Take(http), ct))
            .RequireAuthorization(AccessPolicies.Admin);
        console.MapPost("/access/users", AddUserAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
        console.MapPost("/access/tokens", CreateTokenAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
        console.MapPost("/access/tokens/{id:long}/revoke", RevokeAsync).RequireAuthorization(AccessPolicies.Admin).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, UserStore users, TokenStore tokens, string? saved, string? newSecret, CancellationToken ct)
    {
        var userList = await users.ListAsync(ct);
        var tokenList = await tokens.ListAsync(ct);
        var body = Html.Of($"""
            {Html.When(saved is not null, Html.Of($"""<p class="message" id="saved-message" role="status">{saved}</p>"""))}
            {Html.When(newSecret is not null, Html.Of($"""<div class="message" id="new-token-message" role="status">The new token, shown only now: <code id="new-token-secret">{newSecret}</code></div>"""))}
            <section class="panel" aria-labelledby="users-heading">
            <h2 id="users-heading">Users</h2>
            <table id="users-table"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col" class="hide-narrow">Created (UTC)</th></tr></thead>
            <tbody>{Html.Join(userList, u => Html.Of($"<tr><td>{u.Name}</td><td>{u.Role.ToString()}</td><td class=\"hide-narrow\">{u.CreatedAt:yyyy-MM-dd HH:mm}</td></tr>"))}</tbody></table>
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

    private static Html RoleSelect(string id) =>
        Html.Of($"""<select id="{id}" name="role">{Html.Join(Roles.Names, r => Html.Of($"""<option value="{r}">{r}</option>"""))}</select>""");

    private static async Task<IResult> AddUserAsync(HttpContext http, UserStore users, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        if (!NamePattern().IsMatch(name))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", "The name must be 1 to 64 letters, digits or . _ @ -.");
        if (!Roles.TryParse(form["role"], out var role))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", $"The role must be one of {string.Join(", ", Roles.Names)}.");
        if (PasswordHasher.Check(password) is { } problem)
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "User not saved", $"Not saved: {problem}.");
        var created = await users.UpsertAsync(name, role, password, ct);
        return TypedResults.Redirect($"/console/access?saved={Uri.EscapeDataString($"{(created ? "Added" : "Reset")} user {name} ({role}).")}");
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, TokenStore tokens, NewTokenNotice notice, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = form["name"].ToString().Trim();
        if (name.Length > 0 && !NamePattern().IsMatch(name))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Token not created", "The name must be 1 to 64 letters, digits or . _ @ -.");
        if (!Roles.TryParse(form["role"], out var role))
            return ConsoleLayout.Message(http, StatusCodes.Status400BadRequest, "Token not created", $"The role must be one of {string.Join(", ", Roles.Names)}.");
        var (token, secret) = await tokens.CreateAsync(role, name.Length == 0 ? null : name, ct);
        // Post/redirect/get: a reload of the page that shows the secret neither creates another token nor shows it again.
        notice.Put(http, secret);
        var saved = string.Create(CultureInfo.InvariantCulture, $"Created token {token.Id} '{token.Name}' ({token.Role}).");
        return TypedResults.Redirect($"/console/access?saved={Uri.EscapeDataString(saved)}");
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, TokenStore tokens, long id, CancellationToken ct) =>
        await tokens.RevokeAsync(id, ct)
            ? TypedResults.Redirect($"/console/access?saved={Uri.EscapeDataString($"Revoked token {id}.")}")
            : ConsoleLayout.Message(http, StatusCodes.Status404NotFound, "Not revoked", $"There is no active token {id}.");

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
